# authsuite: three Quarkus services secured with OAuth 2.0 and JWT. `make` lists the targets.
SHELL := /bin/bash
JAVA_HOME := $(shell scripts/jdk.sh)
export JAVA_HOME
MVN := ./mvnw -B
SERVICE ?=

.DEFAULT_GOAL := help
.PHONY: help build test test-fleet test-faults test-packaged test-cluster scripts-check run up down dev status clean bench bench-keycloak bench-startup bench-orders bench-durable soak images native native-sources native-guard native-test k8s-secrets k8s-validate

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

build: ## Compile and package the three services (no tests); AOT=1: also a JVM AOT cache for each, trained by its ITs
	$(MVN) -DskipTests install
ifeq ($(AOT),1)
	$(MVN) verify -pl auth-service,inventory-service,orders-service \
	  -Dquarkus.package.jar.aot.enabled=true -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false $(EVERY_IT)
endif

test: scripts-check k8s-validate ## k8s manifests, unit, @QuarkusTest against real Redis, system tests over real processes; under 15 min (see test-faults, test-packaged)
	$(MVN) verify

# A JUnit tag expression for every integration test: make test leaves out the fault suites (@FaultSuite), the larger
# deployments (@FleetSuite) and the packaged mirrors of the @QuarkusTests (@PackagedMirror); see authsuite.it.groups
# in pom.xml.
EVERY_IT := '-Dauthsuite.it.groups=any() | none()'

test-fleet: ## Larger deployments over the packaged services: replicas of each service, a Redis Cluster, the Grafana dashboard against Prometheus (NATIVE=1: native)
	$(MVN) -q install -DskipTests
	$(MVN) verify -pl system-tests -Dauthsuite.it.groups=fleet $(if $(filter 1,$(NATIVE)),-Dauthsuite.native=true)

test-faults: ## The fault suites over the packaged services: processes killed or frozen, Redis failed over or cut off (NATIVE=1: native)
	$(MVN) -q install -DskipTests
	$(MVN) verify -pl system-tests -Dauthsuite.it.groups=fault $(if $(filter 1,$(NATIVE)),-Dauthsuite.native=true)

test-packaged: ## Each service's @QuarkusTest cases again against its packaged JVM jar (make native-test: the native executable)
	$(MVN) -q install -DskipTests
	$(MVN) verify -pl auth-service,inventory-service,orders-service -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dauthsuite.it.groups=packaged

test-cluster: ## The services' own tests on Redis in cluster mode (one node, every slot): no script or transaction spans hash slots
	AUTHSUITE_REDIS_CLUSTER=1 $(MVN) test -pl redis-support,resource-server,auth-service,inventory-service,orders-service -am

scripts-check: ## Parse every shell script (bash -n; sh -n for the pods' k8s/components/*/*.sh): the tests start services through Java, not through scripts/
	@for f in scripts/*.sh scripts/*/*.sh .ci/run; do bash -n "$$f" || exit 1; done
	@for f in k8s/components/*/*.sh; do sh -n "$$f" || exit 1; done; echo "scripts: all parse"

run: ## Start Redis and the services, follow their logs; Ctrl-C stops everything
	@NATIVE=$(NATIVE) scripts/suite.sh run

up: ## Start Redis and the services in the background; returns when all are ready (NATIVE=1: the native executables)
	@NATIVE=$(NATIVE) scripts/suite.sh up

down: ## Stop everything `make up` started
	@scripts/suite.sh down

dev: ## SERVICE=orders-service: that service in quarkus:dev (hot reload), the others as in `make up`
	@test -n "$(SERVICE)" || { echo "usage: make dev SERVICE=auth-service|orders-service|inventory-service"; exit 2; }
	@scripts/suite.sh dev $(SERVICE)

bench: ## Load-test the token endpoint (wrk) beside `openssl speed rsa2048`; prints req/s, latencies, ratios
	@scripts/bench.sh

bench-keycloak: ## client_credentials grants at Keycloak 26.5.6 (fetched from Maven Central) and at auth-service, same run; prints the ratio
	@scripts/bench-keycloak.sh

bench-startup: ## Each service alone: time from exec to ready and RSS (NATIVE=1: the native executables)
	@NATIVE=$(NATIVE) scripts/bench-startup.sh

bench-orders: ## Load-test GET /inventory/items/{sku} and POST /orders across the running services; checks the stock adds up
	@scripts/bench-orders.sh

bench-durable: ## What waiting for a Redis replica's acknowledgement costs a revocation and an order (prints, asserts nothing)
	$(MVN) -q install -DskipTests
	$(MVN) verify -pl system-tests -Dit.test='DurableWritesIT#durableWriteCostBenchmark' -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dauthsuite.bench=true $(EVERY_IT)

SOAK_SECONDS ?= 600
SOAK_SAMPLE_SECONDS ?= 30
soak: ## Mixed load for SOAK_SECONDS (600); samples RSS and Redis memory, writes system-tests/target/soak/soak.png
	$(MVN) -q install -DskipTests
	$(MVN) verify -pl system-tests -Dit.test=SoakIT -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dauthsuite.soak.seconds=$(SOAK_SECONDS) -Dauthsuite.soak.sample-seconds=$(SOAK_SAMPLE_SECONDS) \
	  $(if $(filter 1,$(NATIVE)),-Dauthsuite.native=true)

native: ## Native executables of the three services: a local GraalVM/Mandrel (GRAALVM_HOME), else the Mandrel builder image
	@if [ -n "$${GRAALVM_HOME:-}" ] || command -v native-image >/dev/null 2>&1; then \
	  $(MVN) package -Dnative -DskipTests $(if $(GRAALVM_HOME),-Dquarkus.native.graalvm-home=$(GRAALVM_HOME)) $(NATIVE_ARGS); \
	else \
	  echo "No GRAALVM_HOME or native-image on the PATH: building in the Mandrel builder container"; \
	  $(MVN) package -Dnative -DskipTests -Dquarkus.native.container-build=true $(NATIVE_ARGS); \
	fi

native-sources: ## Run Quarkus' native build steps without compiling (what CI proves on machines without GraalVM)
	$(MVN) package -Dnative -Dquarkus.native.sources-only=true -DskipTests

native-guard: ## Fail when the native build steps left a JSON type or a loaded resource unregistered (after native-sources)
	$(MVN) -q -pl native-guard -am install -DskipTests
	$(MVN) -q -pl native-guard exec:java

native-test: ## The @QuarkusIntegrationTest suites and the system tests against the native executables (after make native)
# LeakScanIT reads the logs of the JVM unit tests, which a native run does not have.
	$(MVN) verify -Dnative -Dquarkus.native.reuse-existing=true -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
	  '-Dit.test=*IT,!LeakScanIT' -pl auth-service,inventory-service,orders-service $(EVERY_IT) $(NATIVE_ARGS)
	$(MVN) verify -pl system-tests -Dauthsuite.native=true $(EVERY_IT)

images: ## Container images (JVM; IMAGE=native-micro after make native) with docker or podman
	@engine=$$(command -v docker || command -v podman) || { echo "images need docker or podman"; exit 1; }; \
	kind=$${IMAGE:-jvm}; suffix=$$([ "$$kind" = native-micro ] && echo -native); \
	[ "$$kind" = native-micro ] || $(MVN) -q package -DskipTests; \
	for s in auth-service orders-service inventory-service; do \
	  (cd $$s && $$engine build -f src/main/docker/Dockerfile.$$kind -t authsuite/$$s:1.0.0$$suffix .) || exit 1; \
	done

status: ## Show what runs
	@scripts/suite.sh status

clean: ## Stop everything and remove build output and local state
	@scripts/suite.sh down
	$(MVN) -q clean
	rm -rf .run

k8s-secrets: ## Generate the Kubernetes Secrets into git-ignored k8s/overlays/OVERLAY/secrets/ (OVERLAY=dev|prod, both by default)
	@for o in $(or $(OVERLAY),dev prod); do scripts/k8s-secrets.sh $$o || exit 1; done

k8s-validate: ## Render the k8s overlays and validate every object against the Kubernetes 1.30+ API schemas
	@scripts/validate-k8s.sh
