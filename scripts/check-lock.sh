#!/usr/bin/env bash
# Does requirements.lock install from wheels on every supported Python? (#15: pip refused 3.12/3.13
# under the old requires-python.) A dry run against the configured index: nothing is installed.
# Usage: scripts/check-lock.sh [PYTHON]   (the pip that resolves; default .venv/bin/python)
set -euo pipefail
python=${1:-.venv/bin/python}
status=0
for version in 3.11 3.12 3.13; do
  if "$python" -m pip install --dry-run --quiet --ignore-installed --only-binary=:all: \
       --python-version "$version" --target "$(mktemp -d)" -r requirements.lock >/dev/null 2>&1; then
    echo "Python $version: the lock resolves, wheels for every package"
  else
    echo "Python $version: the lock does NOT resolve (run the command without --quiet to see why)" >&2
    status=1
  fi
done
exit $status
