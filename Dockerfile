# hcms on Debian 12. Build: docker build -t hcms .   Run: docker run -p 8080:8080 -v hcms-data:/var/lib/hcms hcms
FROM debian:12 AS build
WORKDIR /src
COPY scripts/ scripts/
RUN apt-get update && ./scripts/install-deps.sh
COPY . .
# The admin UI needs Node.js >= 20.19, which Debian 12 does not package: build it
# outside (make), copy build/release/web/dist in and point HCMS_WEB_ADMIN_DIR at it.
RUN cmake --preset release -DHCMS_BUILD_BENCH=OFF -DHCMS_BUILD_FUNCTIONAL=OFF -DHCMS_BUILD_WEB=OFF \
 && cmake --build --preset release --target hcms hcms-plugin-worker hcms_builtin_plugins -j"$(nproc)"

FROM debian:12-slim
# One package per shared library the binaries link (scripts/check-docker-runtime.sh,
# run by `make test`, checks this list against the built binaries), plus what
# compiling an uploaded plugin needs at run time: wabt (wasm2c, wasm-rt.h) and a C
# compiler.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libsqlite3-0 libpq5 libsodium23 libssl3 libfmt9 libtomlplusplus3 libdate-tz3 libjwt0 \
      liboath0 libgumbo1 libcmark-gfm0.29.0.gfm.6 libcmark-gfm-extensions0.29.0.gfm.6 libxml2 \
      zlib1g libvectorscan5 libseccomp2 libstdc++6 libgcc-s1 libc6 \
      wabt gcc libc6-dev tzdata ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/hcms --create-home hcms
COPY --from=build /src/build/release/src/app/hcms /usr/local/bin/hcms
COPY --from=build /src/build/release/src/plugins/hcms-plugin-worker /usr/local/lib/hcms/hcms-plugin-worker
COPY --from=build /src/build/release/plugins/ /usr/local/lib/hcms/plugins/
USER hcms
ENV HCMS_DATA_DIR=/var/lib/hcms HCMS_SERVER_LISTEN_ADDRESS=0.0.0.0 HCMS_LOG_FORMAT=json \
    HCMS_PLUGINS_WORKER_PATH=/usr/local/lib/hcms/hcms-plugin-worker \
    HCMS_PLUGINS_BUILTIN_DIR=/usr/local/lib/hcms/plugins
VOLUME ["/var/lib/hcms"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /ready HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3"]
ENTRYPOINT ["/usr/local/bin/hcms"]
CMD ["serve"]
