# One image for the three services; docker-compose.yml picks the service with the command.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q package -DskipTests -pl ingest,graph-stream,api-sink -am

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 app && mkdir -p /app /var/lib/insider && chown app /var/lib/insider
COPY --from=build /src/ingest/target/ingest-*.jar /app/ingest/ingest.jar
COPY --from=build /src/ingest/target/lib /app/ingest/lib
COPY --from=build /src/graph-stream/target/graph-stream-*.jar /app/graph-stream/graph-stream.jar
COPY --from=build /src/graph-stream/target/lib /app/graph-stream/lib
COPY --from=build /src/api-sink/target/api-sink-*.jar /app/api-sink/api-sink.jar
COPY --from=build /src/api-sink/target/lib /app/api-sink/lib
COPY deploy/logback.xml /app/logback.xml
ENV JAVA_TOOL_OPTIONS="-Dlogback.configurationFile=/app/logback.xml"
USER app
WORKDIR /var/lib/insider
