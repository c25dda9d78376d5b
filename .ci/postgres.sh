# shellcheck shell=bash
# PostgreSQL for the PostgreSQL store tests (docs/stores.md). Sourced by .ci/run; also usable by hand:
#   source .ci/postgres.sh && dotnet test tests/Versioning.Core.PostgreSql.Tests -c Release
# Installs Debian's postgresql when the server is missing, starts the first cluster (creating one if there is none),
# creates the role and database the tests use, waits until they accept password logins over TCP, and exports
# VERSIONING_TEST_POSTGRES. Idempotent: safe to run twice; the role and database may already exist.
# Needs root (apt-get, su postgres). Sourced, so it returns instead of exiting and leaves no shell options changed.

versioning_pg_log() { echo "postgres.sh: $*" >&2; }

versioning_pg_setup() {
  local role=versioning password=versioning database=versioning_test
  local version cluster port status

  # 1. The server: the cluster tools and at least one server binary.
  if ! command -v pg_lsclusters >/dev/null 2>&1 || ! command -v pg_ctlcluster >/dev/null 2>&1 \
    || ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
    versioning_pg_log "installing Debian's postgresql"
    apt-get update -qq || { versioning_pg_log "apt-get update failed"; return 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null \
      || { versioning_pg_log "apt-get install postgresql failed"; return 1; }
  fi

  # 2. A cluster: the first one listed, or a new "main" for the newest installed version.
  if [ -z "$(pg_lsclusters --no-header 2>/dev/null | head -n 1)" ]; then
    version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)
    versioning_pg_log "creating cluster $version/main"
    pg_createcluster "$version" main >/dev/null || { versioning_pg_log "pg_createcluster failed"; return 1; }
  fi

  read -r version cluster port status _ <<<"$(pg_lsclusters --no-header | head -n 1)"
  if [ "$status" != "online" ]; then
    versioning_pg_log "starting cluster $version/$cluster on port $port"
    pg_ctlcluster "$version" "$cluster" start || { versioning_pg_log "pg_ctlcluster $version $cluster start failed"; return 1; }
  fi

  # 3. Wait for the server (a fresh start may take a few seconds).
  local i
  for i in $(seq 1 60); do
    if (cd / && su postgres -c "pg_isready -q -p $port"); then break; fi
    if [ "$i" -eq 60 ]; then versioning_pg_log "server on port $port not ready after 60 s"; return 1; fi
    sleep 1
  done

  # 4. Role and database, created only when missing (the password is reset so a stale one can't break the run). The
  #    database is UTF8 whatever the cluster's default (a cluster created without a locale is SQL_ASCII).
  (cd / && su postgres -c "psql -p $port -X -q -v ON_ERROR_STOP=1 -d postgres") <<SQL || { versioning_pg_log "creating role/database failed"; return 1; }
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN PASSWORD '$password';
  ELSE
    ALTER ROLE $role LOGIN PASSWORD '$password';
  END IF;
END
\$\$;
SELECT 'CREATE DATABASE $database OWNER $role ENCODING ''UTF8'' LOCALE ''C'' TEMPLATE template0' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$database')\gexec
SQL

  # 5. Wait until the tests' own login works over TCP, exactly as Npgsql will connect.
  for i in $(seq 1 30); do
    if PGPASSWORD=$password psql -X -q -h 127.0.0.1 -p "$port" -U "$role" -d "$database" -tAc 'SELECT 1' >/dev/null 2>&1; then break; fi
    if [ "$i" -eq 30 ]; then versioning_pg_log "cannot log in as $role to $database on 127.0.0.1:$port"; return 1; fi
    sleep 1
  done

  # No TLS on loopback: Debian's cluster has ssl = on and Npgsql's default (SSL Mode=Prefer) would encrypt every byte
  # between two processes on the same machine, which costs CPU and protects nothing (docs/benchmarks.md, P7).
  export VERSIONING_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Database=$database;Username=$role;Password=$password;SSL Mode=Disable"
  versioning_pg_log "PostgreSQL $version ready: VERSIONING_TEST_POSTGRES=$VERSIONING_TEST_POSTGRES"
}

versioning_pg_setup
versioning_pg_status=$?
unset -f versioning_pg_setup versioning_pg_log
# shellcheck disable=SC2317 # return when sourced; exit when run as a script
return "$versioning_pg_status" 2>/dev/null || exit "$versioning_pg_status"
