#!/usr/bin/env bash
# Paired wall times of two builds on one dataset: rounds of A then B (alternating which goes
# first), each a fresh `node <tree>/dist/src/cli.js --data DATA --out <tmp> --shards N`.
# Prints each run, the median wall time of each build and the median of the per-round B/A ratios.
# usage: scripts/paired-runs.sh TREE_A TREE_B DATA [ROUNDS=7] [SHARDS=10]
set -euo pipefail
a=$1 b=$2 data=$3 rounds=${4:-7} shards=${5:-10}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() { # tree -> seconds
  rm -rf "$tmp/out"
  local t0 t1
  t0=$(date +%s.%N)
  node "$1/dist/src/cli.js" --data "$data" --out "$tmp/out" --shards "$shards" > "$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}'
}
echo "A=$a B=$b data=$data rounds=$rounds shards=$shards load=$(cut -d' ' -f1-3 /proc/loadavg)"
: > "$tmp/times"
for r in $(seq 1 "$rounds"); do
  if (( r % 2 )); then ta=$(run "$a"); tb=$(run "$b"); else tb=$(run "$b"); ta=$(run "$a"); fi
  printf 'round %d  A %.2f s  B %.2f s  B/A %.3f\n' "$r" "$ta" "$tb" "$(awk -v a="$ta" -v b="$tb" 'BEGIN {print b / a}')"
  echo "$ta $tb" >> "$tmp/times"
done
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
printf 'median A %.2f s  median B %.2f s  median B/A %.3f  load=%s\n' \
  "$(awk '{print $1}' "$tmp/times" | median)" "$(awk '{print $2}' "$tmp/times" | median)" \
  "$(awk '{print $2/$1}' "$tmp/times" | median)" "$(cut -d' ' -f1-3 /proc/loadavg)"
