#!/bin/bash
# Makes the working tree fit the device tool's 64 MiB transfer for scripts/gpu_finetune.sh, and undoes it.
#
#   scripts/gpu_carry.sh prepare   # tracked checkpoints (models/**/*.pt) leave the index, listed in
#                                  # .git/info/exclude; prints what will travel (bank/ carried)
#   ... run: command "MINUTES=7 scripts/gpu_finetune.sh", carry ["bank"] ...
#   scripts/gpu_carry.sh restore   # back in the index, exclude lines removed
#
# The files never leave the disk; only git's view of them changes. Do not commit between the two.
set -euo pipefail
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
exclude=.git/info/exclude
begin="# gpu_carry: begin" end="# gpu_carry: end"
case "${1:-}" in
  prepare)
    if grep -qx "$begin" "$exclude" 2>/dev/null; then echo "already prepared (run restore first)" >&2; exit 1; fi
    mapfile -t big < <(git ls-files 'models/*.pt' 'models/**/*.pt')
    mkdir -p .git/info
    { echo "$begin"; printf '/%s\n' "${big[@]}"; echo "$end"; } >> "$exclude"
    [ ${#big[@]} -eq 0 ] || git rm -q --cached -- "${big[@]}"
    tracked=$(git ls-files -z | xargs -0 cat 2>/dev/null | wc -c)
    untracked=$(git ls-files -z --others --exclude-standard | xargs -0 cat 2>/dev/null | wc -c)
    bank=$( [ -d bank ] && find bank -type f -print0 | xargs -0 cat | wc -c || echo 0)
    total=$((tracked + untracked + bank))
    echo "${#big[@]} checkpoints out of the index; travels: tracked $tracked + untracked $untracked + bank $bank = $total bytes (limit $((64 * 1024 * 1024)))"
    [ "$total" -le $((64 * 1024 * 1024)) ] || { echo "over the limit: restore, then make bank/ smaller" >&2; exit 1; }
    ;;
  restore)
    grep -qx "$begin" "$exclude" 2>/dev/null || { echo "nothing to restore" >&2; exit 1; }
    mapfile -t big < <(sed -n "/^$begin\$/,/^$end\$/p" "$exclude" | grep '^/' | cut -c2-)
    [ ${#big[@]} -eq 0 ] || git reset -q -- "${big[@]}"
    sed -i "/^$begin\$/,/^$end\$/d" "$exclude"
    echo "${#big[@]} checkpoints back in the index"
    ;;
  *) echo "usage: $0 prepare|restore" >&2; exit 2 ;;
esac
