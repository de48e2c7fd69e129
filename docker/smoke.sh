#!/usr/bin/env bash
# The Docker smoke test, as CI runs it (.ci/run): build the image, then run it the ways an
# operator would, with docker/smoke.py's checks.
#
# It installs Docker, debootstrap and Compose from Debian when they are missing, and starts a
# Docker daemon of its own when none is running; it stops that daemon at the end, and nothing
# else. A missing base image is pulled or, where Docker Hub cannot be reached, made locally
# (docker/stand-in-base.sh).
#
# Exit status: 0 when every check passed, or when the test could not run for a reason outside
# the project (no apt, no daemon, no base image), which it then says in one line; 1 when the
# image does not build or a check fails.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${ISOBOT_SMOKE_IMAGE:-isobot:smoke}
VENV=${ISOBOT_VENV:-.venv}
WORK=$(mktemp -d /tmp/isobot-docker-smoke.XXXXXX)
RUN_ID=isobot-smoke-$$
OWN_DOCKERD_PID=""
started=$SECONDS

cleanup() {
  # What an interrupted run left: its containers (with their volumes), Compose's network and the
  # context probe's image; found by this run's label and names alone.
  if docker info >/dev/null 2>&1; then
    docker ps -aq --filter "label=org.isobot.smoke=$RUN_ID" \
      | xargs -r docker rm -f -v >/dev/null 2>&1 || true
    docker network ls -q --filter "label=com.docker.compose.project=$RUN_ID" \
      | xargs -r docker network rm >/dev/null 2>&1 || true
    docker rmi "$RUN_ID-context" >/dev/null 2>&1 || true
  fi
  if [ -n "$OWN_DOCKERD_PID" ]; then
    # Only the daemon this script started; the containerd it started goes with it.
    kill -TERM "$OWN_DOCKERD_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do
      kill -0 "$OWN_DOCKERD_PID" 2>/dev/null || break
      sleep 1
    done
    kill -KILL "$OWN_DOCKERD_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
# Stopped from outside (Ctrl-C, a CI timeout): still clean up.
trap 'exit 130' INT TERM

skip() {
  echo "Docker smoke test skipped, for a reason outside the project: $*"
  exit 0
}

ensure_tools() {
  local missing=()
  command -v docker >/dev/null 2>&1 || missing+=(docker.io)
  # A Docker CLI alone (some machines ship one) is not enough: a daemon must be here too.
  if ! command -v dockerd >/dev/null 2>&1 && ! docker info >/dev/null 2>&1; then
    missing+=(docker.io)
  fi
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
    missing+=(docker-compose)
  fi
  [ ${#missing[@]} -eq 0 ] && return
  echo "Installing from Debian: $(printf '%s\n' "${missing[@]}" | sort -u | xargs)"
  apt-get update -q >"$WORK/apt.log" 2>&1 \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      $(printf '%s\n' "${missing[@]}" | sort -u) >>"$WORK/apt.log" 2>&1 \
    || { tail -n 20 "$WORK/apt.log"; skip "apt-get could not install $(printf '%s ' "${missing[@]}")"; }
}

ensure_daemon() {
  if docker info >/dev/null 2>&1; then
    echo "Docker daemon: the one already running."
    return
  fi
  echo "Docker daemon: starting one for this test (log in $WORK/dockerd.log)."
  # A session of its own: a Ctrl-C meant for this test must not stop the daemon before the
  # test has removed its containers; cleanup stops it.
  setsid dockerd >"$WORK/dockerd.log" 2>&1 &
  OWN_DOCKERD_PID=$!
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return
    kill -0 "$OWN_DOCKERD_PID" 2>/dev/null || break
    sleep 0.5
  done
  tail -n 20 "$WORK/dockerd.log"
  skip "the Docker daemon did not start"
}

ensure_python() {
  # docker/smoke.py plays Telegram with the fake Bot API in sandbox/, and drives the sandbox
  # with pexpect: the test set-up (at once where `dev.py test` ran before, as in CI).
  python3 dev.py setup --dev >"$WORK/setup.log" 2>&1 || {
    cat "$WORK/setup.log"
    skip "python3 dev.py setup --dev failed"
  }
}

ensure_tools
ensure_daemon
bash docker/stand-in-base.sh || skip "no base image python:3.11-slim: not pulled, not made"
ensure_python

# Whether a container on Docker's default network reaches PyPI, as the build's pip must.
containers_reach_pypi() {
  docker run --rm python:3.11-slim python -c \
    "import urllib.request; urllib.request.urlopen('https://pypi.org/simple/pip/', timeout=20)" \
    >/dev/null 2>&1
}

echo "Building $IMAGE ..."
build_started=$SECONDS
previous=$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
if ! docker build -t "$IMAGE" . >"$WORK/build.log" 2>&1; then
  tail -n 40 "$WORK/build.log"
  containers_reach_pypi || skip "containers cannot reach PyPI, so no image can build here"
  echo "FAILED: the image does not build."
  exit 1
fi
echo "Built $IMAGE in $((SECONDS - build_started)) s."
# The last run's image, now untagged: runs on one machine should not pile them up.
if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect -f '{{.Id}}' "$IMAGE")" ]; then
  docker rmi "$previous" >/dev/null 2>&1 || true
fi

status=0
PYTHONPATH="$PWD" "$VENV/bin/python" docker/smoke.py \
  --image "$IMAGE" --work "$WORK" --run-id "$RUN_ID" || status=$?
echo "Docker smoke test took $((SECONDS - started)) s in all."
exit "$status"
