/**
 * Every pinned version in one place: Kubernetes (EKS), the managed engines (RDS PostgreSQL,
 * ElastiCache, OpenSearch Service), the Helm charts and the Serverless Application Repository
 * application. Upgrades are reviewed like code: change the pin here, read the release notes, and
 * re-run the plan. The config schema reads its enums and defaults from here.
 *
 * Each pin carries, where the vendor publishes one, its support window and the source of the dates,
 * so that a check (issue #11) can flag a pin outside its window. `confirmed: false` marks a date, or
 * the absence of one, that could not be checked against the vendor's own page.
 */

/** The support window of a pinned version, as the vendor published it. Dates are ISO (YYYY-MM-DD), UTC. */
export interface SupportWindow {
    /** First day new resources can no longer be created on this version (RDS deprecates minor versions this way). */
    readonly noNewResourcesFrom?: string;
    /** Last day of standard support; after it the vendor upgrades automatically or charges extended support. */
    readonly standardSupportEnds?: string;
    /** Last day of paid extended support; after it the vendor upgrades the resource itself. */
    readonly extendedSupportEnds?: string;
    /** Where the dates come from (a URL or the document's name). */
    readonly source: string;
    /** False when the dates (or the statement that none is announced) could not be confirmed against the vendor's page. */
    readonly confirmed: boolean;
    /** Anything a reader needs to interpret the dates. */
    readonly note?: string;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes (EKS)
// ---------------------------------------------------------------------------------------------

const EKS_CALENDAR =
    "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (release calendar); the same dates at https://endoflife.date/amazon-eks and in AWS's https://aws-samples.github.io/sample-apex-skills/docs/skills/eks-operation-review/references/cluster-lifecycle (verified 2026-04-24)";
const EKS_NOTE = "EKS: standard support 14 months from the EKS release, then 12 months of paid extended support (on by default), then an automatic upgrade.";

/** Kubernetes minor versions this program accepts for EKS, with their EKS support windows. */
export const KUBERNETES_SUPPORT = {
    "1.31": { standardSupportEnds: "2025-11-26", extendedSupportEnds: "2026-11-26", source: EKS_CALENDAR, confirmed: true, note: EKS_NOTE },
    "1.32": { standardSupportEnds: "2026-03-23", extendedSupportEnds: "2027-03-23", source: EKS_CALENDAR, confirmed: true, note: EKS_NOTE },
    "1.33": { standardSupportEnds: "2026-07-29", extendedSupportEnds: "2027-07-29", source: EKS_CALENDAR, confirmed: true, note: EKS_NOTE },
    "1.34": { standardSupportEnds: "2026-12-02", extendedSupportEnds: "2027-12-02", source: EKS_CALENDAR, confirmed: true, note: EKS_NOTE },
    "1.35": { standardSupportEnds: "2027-03-27", extendedSupportEnds: "2028-03-27", source: EKS_CALENDAR, confirmed: true, note: EKS_NOTE },
} as const satisfies Record<string, SupportWindow>;

export type KubernetesVersion = keyof typeof KUBERNETES_SUPPORT;

/** The accepted Kubernetes versions, oldest first (the config schema's enum). */
export const KUBERNETES_VERSIONS = Object.keys(KUBERNETES_SUPPORT) as [KubernetesVersion, ...KubernetesVersion[]];

/** The EKS version a stack gets when `app.kubernetesVersion` is not set. */
export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion = "1.33";

// ---------------------------------------------------------------------------------------------
// Managed engines
// ---------------------------------------------------------------------------------------------

/** RDS for PostgreSQL, pinned to major.minor (no silent minor upgrades). */
export const POSTGRES = {
    version: "16.6",
    support: {
        noNewResourcesFrom: "2026-05-01",
        standardSupportEnds: "2026-05-31",
        source: "AWS Health notice on RDS for PostgreSQL minor versions 14.14-14.17, 15.9-15.12, 16.5-16.8, 17.1-17.4 (quoted at https://github.com/saayam-for-all/database/wiki/AWS-RDS-instances-%E2%80%90-Health-Checks and https://lucaberton.com/blog/aws-rds-postgresql-minor-version-deprecation-may-2026/); calendar: https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html",
        confirmed: false,
        note: "The minor version's deprecation: no new instances from May 1 2026, automatic upgrade to 16.11 or later in a maintenance window after May 31 2026. Seen in the AWS notice as quoted by two third parties, not on the calendar page itself. The major version 16's RDS end of standard support was not confirmed.",
    },
} as const satisfies { version: string; support: SupportWindow };

/** The RDS parameter group family of a PostgreSQL major.minor version ("16.6" -> "postgres16"). */
export function postgresParameterGroupFamily(version: string): string {
    return `postgres${version.split(".")[0]}`;
}

/** ElastiCache (Redis OSS or Valkey), pinned to major.minor. */
export const REDIS = {
    engine: "redis",
    version: "7.1",
    support: {
        source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html (Redis OSS end of life schedule); https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/extended-support.html",
        confirmed: false,
        note: "No end of standard support found announced for Redis OSS 7.x; the announced dates are for Redis OSS 4 and 5 (standard support ended 2026-01-31, extended support to 2029-01-31).",
    },
} as const satisfies { engine: string; version: string; support: SupportWindow };

/** Amazon OpenSearch Service engine, pinned. */
export const OPENSEARCH = {
    version: "OpenSearch_2.19",
    support: {
        source: "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/what-is.html#choosing-version; upstream: https://opensearch.org/releases.html",
        confirmed: false,
        note: "No AWS end of standard support found for OpenSearch 2.19. Upstream, OpenSearch 2.x has been in maintenance since 3.0 (2025-05-06) until the GA of 4.0.",
    },
} as const satisfies { version: string; support: SupportWindow };

// ---------------------------------------------------------------------------------------------
// Helm charts and the SAR application (no published support windows: pins only)
// ---------------------------------------------------------------------------------------------

/** Pinned Helm charts (repository, chart, version): upgrades are reviewed like code. */
export const CHARTS = {
    lbController: { repo: "https://aws.github.io/eks-charts", chart: "aws-load-balancer-controller", version: "1.13.0" },
    secretsStoreCsi: { repo: "https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts", chart: "secrets-store-csi-driver", version: "1.5.4" },
    secretsStoreAws: { repo: "https://aws.github.io/secrets-store-csi-driver-provider-aws", chart: "secrets-store-csi-driver-provider-aws", version: "2.1.1" },
    metricsServer: { repo: "https://kubernetes-sigs.github.io/metrics-server/", chart: "metrics-server", version: "3.12.2" },
    clusterAutoscaler: { repo: "https://kubernetes.github.io/autoscaler", chart: "cluster-autoscaler", version: "9.43.2" },
} as const;

/** The AWS-published single-user rotation function for RDS PostgreSQL (Serverless Application Repository), pinned. */
export const POSTGRES_ROTATION_APP = {
    applicationId: "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser",
    // The version aws-cdk pins for the commercial partition (SecretRotationApplication.POSTGRES_ROTATION_SINGLE_USER).
    semanticVersion: "1.1.671",
} as const;

// ---------------------------------------------------------------------------------------------
// The list a support check reads
// ---------------------------------------------------------------------------------------------

/** One pinned version, flattened for checks and the generated docs. */
export interface PinnedVersion {
    /** What is pinned, e.g. "EKS Kubernetes" or "Helm chart aws-load-balancer-controller". */
    readonly component: string;
    readonly version: string;
    /** Whether the config accepts this version (not necessarily the default). */
    readonly role: "default" | "accepted" | "pinned";
    /** Absent: the vendor publishes no support window for it (charts, SAR applications). */
    readonly support?: SupportWindow;
}

/** Every pin above, one entry each (each accepted Kubernetes version on its own). */
export const PINNED_VERSIONS: readonly PinnedVersion[] = [
    ...KUBERNETES_VERSIONS.map((v): PinnedVersion => ({
        component: "EKS Kubernetes",
        version: v,
        role: v === DEFAULT_KUBERNETES_VERSION ? "default" : "accepted",
        support: KUBERNETES_SUPPORT[v],
    })),
    { component: "RDS for PostgreSQL", version: POSTGRES.version, role: "default", support: POSTGRES.support },
    { component: `ElastiCache ${REDIS.engine}`, version: REDIS.version, role: "default", support: REDIS.support },
    { component: "OpenSearch Service", version: OPENSEARCH.version, role: "default", support: OPENSEARCH.support },
    ...Object.values(CHARTS).map((c): PinnedVersion => ({ component: `Helm chart ${c.chart}`, version: c.version, role: "pinned" })),
    { component: "SAR SecretsManagerRDSPostgreSQLRotationSingleUser", version: POSTGRES_ROTATION_APP.semanticVersion, role: "pinned" },
];

/** The pins whose standard support has ended on `date` (ISO), for a warning; extended support may still run. */
export function pastStandardSupport(date: string, pins: readonly PinnedVersion[] = PINNED_VERSIONS): PinnedVersion[] {
    return pins.filter((p) => {
        const ends = p.support?.standardSupportEnds ?? p.support?.noNewResourcesFrom;
        return ends !== undefined && ends < date;
    });
}
