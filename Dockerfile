# syntax=docker/dockerfile:1
# trafofn: a static Go binary on a distroless, non-root runtime image.
#
#   docker build -t dev.local/trafofn:dev --build-arg VERSION=$(git describe --always --dirty) .
#
# Base images are build arguments so that a mirror (or a locally made image) can stand in:
#   --build-arg GO_IMAGE=…       the builder: any image with Go ≥ the go.mod version and /bin/sh
#   --build-arg RUNTIME_IMAGE=…  anything that can run a static binary as uid 65532
#   --build-arg GOPROXY=…        a module proxy reachable from the build
ARG GO_IMAGE=golang:1.26-bookworm
ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian12:nonroot

FROM ${GO_IMAGE} AS build
ARG GOPROXY
WORKDIR /src
# the module download is its own layer: it changes only with go.mod/go.sum
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/trafofn .

FROM ${RUNTIME_IMAGE}
ARG VERSION=dev
LABEL org.opencontainers.image.title="trafofn" \
      org.opencontainers.image.description="hetida designer transformations as an event-driven function" \
      org.opencontainers.image.version="${VERSION}"
COPY --from=build /out/trafofn /trafofn
# distroless' nonroot user, numeric so that runAsNonRoot can verify it
USER 65532:65532
EXPOSE 8080
# no shell at run time: the binary asks itself (GET /readyz on HTTP_PORT/PORT/8080)
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["/trafofn", "healthcheck"]
ENTRYPOINT ["/trafofn"]
CMD ["serve"]
