/**
 * The task engine. A library on purpose: the orchestrator service runs it, and the embedded
 * default composes it into the control-api process (one JVM, one command). Both sides also use
 * its submission API, since accepting a task means writing it to the database the engine owns.
 */
package io.cloudops.orchestrator;
