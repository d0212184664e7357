/**
 * The 5-year capacity projection (seed 7, issue #15): the growth curve from today's users to the target,
 * the database class the connection pools need, and the storage the seed's growth adds. Pure.
 */
import { defaultMaxConnections, MAX_CONNECTIONS_SEE } from "./alarms";
import { PodDemand } from "./capacity";

/**
 * Concurrent users in year `year` of `years`: geometric growth from `today` to `target` (the same factor every
 * year, (target/today)^(1/years)), rounded up; year 0 is today, year `years` is the target exactly.
 */
export function usersInYear(today: number, target: number, years: number, year: number): number {
    if (!(today > 0) || !(target >= today)) throw new RangeError(`need 0 < today <= target, got ${today}, ${target}`);
    if (!Number.isInteger(years) || years < 1) throw new RangeError(`years must be a positive integer, got ${years}`);
    const y = Math.min(Math.max(year, 0), years);
    if (y === years) return target;
    return Math.min(target, Math.ceil(today * Math.pow(target / today, y / years)));
}

/**
 * Database connections one backend pod may hold. The app config declares no pool size, so this is
 * SQLAlchemy's QueuePool default ceiling (pool_size 5 + max_overflow 10) for the FastAPI and Celery pods;
 * Django's persistent connections (CONN_MAX_AGE) hold one per worker thread, fewer. An upper bound.
 */
export const DB_CONNECTIONS_PER_POD = 15;
export const DB_CONNECTIONS_PER_POD_SOURCE = "https://docs.sqlalchemy.org/en/20/core/pooling.html (QueuePool defaults pool_size=5, max_overflow=10)";

/** Peak connections of the pods' pools: every web, API and Celery worker pod at its pool ceiling, plus beat. */
export const poolConnections = (pods: PodDemand, perPod = DB_CONNECTIONS_PER_POD): number =>
    (pods.djangoWeb + pods.fastapiApi + pods.celeryWorker + pods.celeryBeat) * perPod;

/** Instance sizes in the order vertical scaling climbs them (same family). */
export const DB_SIZES = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"] as const;

export interface DbClassChoice {
    readonly instanceClass: string;
    readonly maxConnections: number;
    /** Connections the pools may open, and the share of max_connections that is allowed (the connections alarm). */
    readonly connectionsNeeded: number;
    readonly fits: boolean;
}

/**
 * Vertical scaling rule: starting at the configured class (never below it), the smallest size of the same family
 * whose default max_connections (LEAST(DBInstanceClassMemory/9531392, 5000), MAX_CONNECTIONS_SEE) keeps the pools'
 * peak under `allowedPercent` of it (the database-connections alarm threshold, so the projection never plans a
 * year that pages). CPU is not modelled offline (it needs Performance Insights of the real load). `fits` is false
 * when even the largest size is short (max_connections caps at 5000: then the pods need a pooler such as RDS Proxy).
 */
export function dbClassFor(connectionsNeeded: number, configured: string, allowedPercent: number): DbClassChoice {
    const m = /^(db\.[a-z]\d+[a-z]*)\.(\w+)$/.exec(configured);
    const start = m ? DB_SIZES.indexOf(m[2] as (typeof DB_SIZES)[number]) : -1;
    const current = defaultMaxConnections(configured);
    if (!m || start < 0 || current === undefined) return { instanceClass: configured, maxConnections: current ?? 0, connectionsNeeded, fits: false };
    let last: DbClassChoice = { instanceClass: configured, maxConnections: current, connectionsNeeded, fits: false };
    for (const size of DB_SIZES.slice(start)) {
        const instanceClass = `${m[1]}.${size}`;
        const max = defaultMaxConnections(instanceClass);
        if (max === undefined) continue;
        last = { instanceClass, maxConnections: max, connectionsNeeded, fits: connectionsNeeded <= (max * allowedPercent) / 100 };
        if (last.fits) return last;
    }
    return last;
}

export { MAX_CONNECTIONS_SEE };

/** Storage in year `year`: seed 7's 1 TB on day one plus ~200 GB a year (config data.postgres). */
export const storageInYear = (initialGb: number, annualGrowthGb: number, year: number): number => initialGb + annualGrowthGb * Math.max(0, year);
