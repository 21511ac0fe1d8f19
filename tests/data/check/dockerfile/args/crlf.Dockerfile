FROM ubuntu:22.04 AS base
RUN apt-get update \
  && apt-get install -y curl
FROM base
COPY --from=alpine:3.20 /bin/sh /sh
