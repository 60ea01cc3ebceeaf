# syntax=docker/dockerfile:1
#
# LEAN Gateway container image. Build on any machine with Docker (BuildKit) from the
# repository root:
#
#   docker build -t ghcr.io/iotorq/lean-gateway:0.1.0 .
#
# The build runs inside the first stage, so the host needs neither a JDK nor Maven.
# Pin the two base images by digest (eclipse-temurin:17-jdk@sha256:...) for reproducible builds.

# ---- build: compile and package the Spring Boot jar, then split it into layers -------------
FROM eclipse-temurin:17-jdk AS build
WORKDIR /build

COPY --chmod=755 mvnw ./
COPY .mvn/ .mvn/
COPY pom.xml ./
COPY gateway/pom.xml gateway/
COPY gateway/src/ gateway/src/

# The Maven repository (and the Maven distribution mvnw fetches) is kept in a BuildKit cache
# between builds instead of in an image layer. Tests run in CI, not here.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -pl gateway -am package -DskipTests

# One directory per layer (see BOOT-INF/layers.idx in the jar): dependencies change seldom,
# the application on every commit, so pushes and pulls mostly move only the last layer.
RUN java -Djarmode=tools -jar gateway/target/lean-gateway-*.jar extract --layers --launcher --destination extracted

# ---- runtime: JRE only, non-root, read-only friendly ---------------------------------------
FROM eclipse-temurin:17-jre

# Numeric ids, matching runAsUser/runAsGroup in k8s/base/deployment.yaml, so that Kubernetes'
# runAsNonRoot can verify the user.
RUN groupadd --system --gid 10001 lean \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin lean

# Spring Boot reads ./config/application.yml relative to this directory: mount the operator's
# configuration at /app/config (Kubernetes: the ConfigMap; Docker: -v "$PWD/config:/app/config:ro").
WORKDIR /app

# Least to most frequently changed. Files stay owned by root: the application cannot modify itself.
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./

USER 10001:10001

# 8080: public traffic (server.port). 8081: management (management.server.port): health,
# metrics, the identity JWKS and the admin API; never publish it to the internet.
EXPOSE 8080 8081

ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
