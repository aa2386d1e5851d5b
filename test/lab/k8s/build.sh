#!/bin/sh
# Builds the lab's control plane (kube-apiserver, kube-controller-manager, kube-scheduler, etcd) from the
# Kubernetes Go modules pinned in go.mod, and kwok from its own module at a pinned version (the source that
# `go install sigs.k8s.io/kwok/cmd/kwok@VERSION` builds, with its own go.mod/go.sum) plus one small patch,
# kwok-exec.patch, so that a non-zero exit of an exec'd command is reported as an exit code (as the kubelet
# does) and a client's end of stdin reaches the command.
# Caches live in test/lab/.cache so a second build on the same machine takes seconds.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
LAB=$(dirname "$HERE")
C="$LAB/.cache"
export GOCACHE="$C/gocache" GOMODCACHE="$C/gomodcache" GOPATH="$C/gopath" GOBIN="$C/bin"
export GOFLAGS="-modcacherw -buildvcs=false" CGO_ENABLED=0 GOTOOLCHAIN=local
KUBE_VERSION=v1.34.3
KWOK_VERSION=${KWOK_VERSION:-v0.8.0}
MINOR=$(echo $KUBE_VERSION | cut -d. -f2)
LDF="-s -w -X k8s.io/component-base/version.gitVersion=$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$MINOR -X k8s.io/component-base/version.gitTreeState=clean"
mkdir -p "$C/bin"
cd "$HERE"
for b in ${*:-etcd kube-apiserver kube-controller-manager kube-scheduler kwok}; do
  case $b in
    kwok)
      SRC=$(cd "$C" && go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/.*"Dir": "\(.*\)",*/\1/p')
      [ -d "$SRC" ] || { echo "go mod download sigs.k8s.io/kwok@$KWOK_VERSION failed" >&2; exit 1; }
      DST="$C/src/kwok@$KWOK_VERSION"
      rm -rf "$DST" && mkdir -p "$C/src" && cp -R "$SRC" "$DST" && chmod -R u+w "$DST"
      patch -d "$DST" -p1 --quiet < "$HERE/kwok-exec.patch"
      (cd "$DST" && go build -p 2 -trimpath -ldflags "-s -w" -o "$C/bin/kwok" ./cmd/kwok)
      ;;
    *) go build -p 2 -trimpath -ldflags "$LDF" -o "$C/bin/$b" "./cmd/$b" ;;
  esac
  echo "built $b"
done
