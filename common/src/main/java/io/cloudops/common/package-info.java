/**
 * Vocabulary shared by every CloudOps service: API and event payload records, enums of the
 * domain and channel names. Services depend on this module, never on each other's internals.
 */
package io.cloudops.common;
