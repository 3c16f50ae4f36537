#!/bin/bash
# Runs once, after InfluxDB 2.x's first-start setup (docker-entrypoint-initdb.d).
# Tickstream speaks the v1-compatible API (/write?db=..., /query), which needs a DBRP
# mapping from the v1 database name to the bucket. InfluxDB 2.x also offers virtual
# mappings, but an explicit default mapping makes the retention policy `autogen` certain.
set -euo pipefail

bucket="${DOCKER_INFLUXDB_INIT_BUCKET}"
bucket_id="$(influx bucket list --name "${bucket}" --hide-headers | awk '{print $1}')"
if [ -z "${bucket_id}" ]; then
    echo "bucket ${bucket} not found" >&2
    exit 1
fi
influx v1 dbrp create --bucket-id "${bucket_id}" --db "${bucket}" --rp autogen --default
