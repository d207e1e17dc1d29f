#!/usr/bin/env bash
# Generates a Java client from Triton's own grpc_service.proto + model_config.proto (a checkout of
# github.com/triton-inference-server/common, given as $1) and runs TritonProtoInterop against
# PrefStream's reference server: ServerLive, ModelMetadata, ModelInfer with raw BYTES input.
# Needs `./mvnw install -pl inference` to have run once (for protoc, the gRPC plugin and the jars).
set -euo pipefail
TRITON_COMMON=${1:?usage: triton-proto-interop.sh PATH-TO-triton-inference-server/common}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
M2=${M2_REPO:-$HOME/.m2/repository}
PROTOC=$(ls "$M2"/com/google/protobuf/protoc/*/protoc-*-linux-x86_64.exe | sort -V | tail -1)
GRPC_PLUGIN=$(ls "$M2"/io/grpc/protoc-gen-grpc-java/1.83.1/protoc-gen-grpc-java-1.83.1-linux-x86_64.exe)
WORK=$(mktemp -d)
SERVER_PID=""
trap 'kill "$SERVER_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
chmod +x "$PROTOC" "$GRPC_PLUGIN"
mkdir -p "$WORK/gen" "$WORK/classes"
"$PROTOC" -I "$TRITON_COMMON/protobuf" --java_out="$WORK/gen" --plugin=protoc-gen-grpc-java="$GRPC_PLUGIN" \
  --grpc-java_out="$WORK/gen" "$TRITON_COMMON/protobuf/grpc_service.proto" "$TRITON_COMMON/protobuf/model_config.proto"
(cd "$ROOT" && ./mvnw -B -q -o dependency:build-classpath -pl inference -Dmdep.outputFile="$WORK/cp.txt" >/dev/null)
CP="$ROOT/inference/target/classes:$(cat "$WORK/cp.txt")"
# Triton's classes first: they do not clash with PrefStream's (other Java package).
javac -d "$WORK/classes" -cp "$CP" $(find "$WORK/gen" -name '*.java') "$HERE/TritonProtoInterop.java"
java -cp "$CP" io.prefstream.inference.reference.InferServerCommand --port 0 > "$WORK/server.out" &
SERVER_PID=$!
for _ in $(seq 100); do grep -qs '^ready inference=' "$WORK/server.out" && break; sleep 0.1; done
ADDRESS=$(sed -n 's/^ready inference=//p' "$WORK/server.out")
java -cp "$WORK/classes:$CP" TritonProtoInterop "$ADDRESS"

# Field-by-field comparison of PrefStream's declarations with Triton's.
"$PROTOC" -I "$TRITON_COMMON/protobuf" --descriptor_set_out="$WORK/triton.desc" \
  "$TRITON_COMMON/protobuf/grpc_service.proto" "$TRITON_COMMON/protobuf/model_config.proto"
"$PROTOC" -I "$ROOT/inference/src/main/proto" --descriptor_set_out="$WORK/prefstream.desc" \
  "$ROOT/inference/src/main/proto/grpc_service.proto" "$ROOT/inference/src/main/proto/model_config.proto"
javac -d "$WORK/classes" -cp "$CP" "$HERE/CompareWithTriton.java"
java -cp "$WORK/classes:$CP" CompareWithTriton "$WORK/triton.desc" "$WORK/prefstream.desc"
