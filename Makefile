# The developer's entry points. Each target finds a JDK >= 21 itself (scripts/lib/jdk.sh: JAVA_HOME,
# /usr/lib/jvm, SDKMAN, macOS JavaVirtualMachines) or says what to install; nothing else is needed
# beforehand: Maven arrives through the wrapper, PostgreSQL is embedded.
#
#   make run      build, then start the control plane on the embedded default: http://localhost:8080
#   make test     install the test prerequisites it can (scripts/lib/prereqs.sh), then every test
#   make build    package both services (control-api and orchestrator), no tests
#   make dev      Quarkus dev mode of control-api (live reload of the console and the API; ARGS=-Dquarkus.http.port=8081)
#   make lint     check formatting and import order, as CI does (the build itself rewrites them)
#   make install  the test prerequisites and the Maven dependencies, ahead of time
#   make seed     submit a few demo tasks to a running control plane (URL=http://localhost:8080)
#
# `make dev` uses control-api's Maven profile dev-mode: Qute's dev-mode-only template debugger at a
# version the partial Maven mirror serves (root pom's version notes). Edits to templates, static
# files, Java sources and configuration are served on the next request; the embedded PostgreSQL of
# the first start is reused by every live reload. Checked by DevModeIT.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

MVNW := ./mvnw -B
URL ?= http://localhost:8080
CONTROL_API_JAR := control-api/target/quarkus-app/quarkus-run.jar
# every recipe line that runs Java starts with this
JDK := source scripts/lib/jdk.sh && use_jdk &&
PREREQS := source scripts/lib/prereqs.sh && test_prereqs &&
# CHROMIUM=/path/to/chromium: the browser tests use that binary instead of /usr/bin/chromium
TEST_ARGS := $(if $(CHROMIUM),-Dchromium.executable=$(CHROMIUM))

.PHONY: help install dev lint test seed build run

help:
	@sed -n 's/^#   make /make /p' Makefile

install:
	@$(PREREQS) $(JDK) $(MVNW) test-compile

dev:
	@$(JDK) $(MVNW) -Pdev-mode -pl control-api -am quarkus:dev $(ARGS)

lint:
	@$(JDK) CI=true $(MVNW) process-test-sources

test:
	@$(PREREQS) $(JDK) $(MVNW) verify $(TEST_ARGS)

build:
	@$(JDK) $(MVNW) package -DskipTests

run: build
	@$(JDK) echo "Starting the control plane: open http://localhost:8080 (Ctrl+C stops it)" && exec java -jar $(CONTROL_API_JAR)

seed:
	@for i in 1 2 3; do \
	  curl -fsS -XPOST "$(URL)/api/tasks/diagnostic" -H 'Content-Type: application/json' \
	    -H "Idempotency-Key: make-seed-$$i" -d "{\"entityId\":\"env/dev\",\"steps\":3,\"stepMillis\":500}" && echo; \
	done || { echo "Is the control plane running at $(URL)? Start it with: make run" >&2; exit 1; }
