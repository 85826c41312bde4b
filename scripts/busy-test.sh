#!/usr/bin/env bash
# Runs a command (by default the whole suite, `npm test`) while every core is
# kept busy by CPU burners (BUSY_BURNERS, default two per core, so the suite
# gets well under half the machine), to show that no test's verdict depends
# on how fast the machine is. The burners are bounded: they stop when the
# command ends, and after BUSY_MAX_SECONDS (default one hour) whatever happens.
#
#   bash scripts/busy-test.sh                 # npm test on a busy machine
#   bash scripts/busy-test.sh bash .ci/run    # all of CI on a busy machine
set -uo pipefail
cd "$(dirname "$0")/.."

burners=()
stop_burners() {
  [ ${#burners[@]} -eq 0 ] || kill "${burners[@]}" 2>/dev/null
  wait "${burners[@]}" 2>/dev/null
}
trap stop_burners EXIT

count=${BUSY_BURNERS:-$((2 * $(nproc)))}
for _ in $(seq "$count"); do
  timeout "${BUSY_MAX_SECONDS:-3600}" node -e 'for (;;);' &
  burners+=($!)
done
echo "busy-test: $count CPU burners running beside: ${*:-npm test}" >&2

started=$SECONDS
if [ $# -eq 0 ]; then set -- npm test; fi
"$@"
status=$?
echo "busy-test: exit $status after $((SECONDS - started)) s beside $count CPU burners" >&2
exit "$status"
