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
// 1.35, not 1.36: 1.33 left standard support on 2026-07-29 and 1.34 leaves it on 2026-12-02 (issue #11 finding 14); no
// cluster-autoscaler release ships a 1.36 minor yet (chart 9.59.0, 2026-07-21, is still CA 1.35.0), and AWS's EKS dates for
// 1.36 could not be confirmed, so 1.36 is not accepted.
export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion = "1.35";

// ---------------------------------------------------------------------------------------------
// Managed engines
// ---------------------------------------------------------------------------------------------

const RDS_POSTGRES_NOTICE =
    "AWS Health notice on RDS for PostgreSQL minor versions 14.14-14.17, 15.9-15.12, 16.5-16.8, 17.1-17.4 (quoted at https://github.com/saayam-for-all/database/wiki/AWS-RDS-instances-%E2%80%90-Health-Checks and https://lucaberton.com/blog/aws-rds-postgresql-minor-version-deprecation-may-2026/); calendar: https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html";

/**
 * RDS for PostgreSQL minor versions this program knows the window of: the pin, and the deprecated minors a stack file
 * may still carry (the support check names them). A minor missing here has no known window.
 */
export const POSTGRES_MINORS = {
    "16.6": {
        noNewResourcesFrom: "2026-05-01",
        standardSupportEnds: "2026-05-31",
        source: RDS_POSTGRES_NOTICE,
        confirmed: false,
        note: "The minor version's deprecation: no new instances from May 1 2026, automatic upgrade to 16.11 or later in a maintenance window after May 31 2026. Seen in the AWS notice as quoted by two third parties, not on the calendar page itself.",
    },
    "16.11": {
        source: RDS_POSTGRES_NOTICE,
        confirmed: false,
        note: "The upgrade target AWS's notice names for 16.5-16.8 (so it can be created after May 2026); its own end of standard support was not found. The major version 16's RDS end of standard support was not confirmed.",
    },
} as const satisfies Record<string, SupportWindow>;

/** RDS for PostgreSQL, pinned to major.minor (no silent minor upgrades). 16.11: issue #11 finding 4 (16.6 can no longer be created). */
export const POSTGRES = {
    version: "16.11",
    support: POSTGRES_MINORS["16.11"],
} as const satisfies { version: keyof typeof POSTGRES_MINORS; support: SupportWindow };

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

/**
 * Which Kubernetes minors a chart supports. `minor`: the chart ships a component built for exactly one Kubernetes minor
 * (cluster-autoscaler: "We recommend using Cluster Autoscaler with the Kubernetes control plane version for which it was
 * meant", one CA minor per Kubernetes minor). `min`/`max`: the chart's declared `kubeVersion` range (inclusive minors).
 */
export interface ChartKubernetes {
    readonly minor?: string;
    readonly min?: string;
    readonly max?: string;
    readonly source: string;
}

const CA_RELEASES =
    "https://github.com/kubernetes/autoscaler/tree/master/cluster-autoscaler#releases (version table); charts/cluster-autoscaler/Chart.yaml at tag cluster-autoscaler-chart-9.59.0: appVersion 1.35.0 (9.43.2: appVersion 1.31.0; 9.54.0-9.59.0: 1.35.0; no chart ships 1.36 as of 2026-08)";

/**
 * Istio (ambient mode) 1.31: "Istio 1.31.0 is officially supported on Kubernetes versions 1.32 to 1.36"
 * (https://istio.io/latest/news/releases/1.31.x/announcing-1.31/, 2026-08); 1.31.1 is its patch of 2026-09-21
 * (https://istio.io/latest/news/releases/1.31.x/announcing-1.31.1/). From 1.31 the charts are published only at
 * blob.istio.io/istio-release/charts, images only at docker.io/istio; istio-release.storage.googleapis.com has no 1.31 chart
 * and is removed in December 2026 (Istio blog, 2026-08-21, "ACTION REQUIRED FOR GOOGLE CONTAINER REGISTRY USERS, scream
 * tests, and our move to AWS"). Support: until 6 weeks after 1.33.0
 * (https://istio.io/latest/docs/releases/supported-releases/#support-policy). Why Istio and not Linkerd: docs/mesh.md.
 */
const ISTIO_REPO = "https://blob.istio.io/istio-release/charts";
const ISTIO_VERSION = "1.31.1";
const ISTIO_KUBERNETES = {
    min: "1.32",
    max: "1.36",
    source: 'https://istio.io/latest/news/releases/1.31.x/announcing-1.31/ ("officially supported on Kubernetes versions 1.32 to 1.36")',
} as const;

/** Pinned Helm charts (repository, chart, version, supported Kubernetes): upgrades are reviewed like code. */
export const CHARTS = {
    lbController: {
        repo: "https://aws.github.io/eks-charts",
        chart: "aws-load-balancer-controller",
        version: "1.13.0",
        kubernetes: {
            source: "aws/eks-charts stable/aws-load-balancer-controller/Chart.yaml declares no kubeVersion (read at chart 1.4.9; 1.13.0 not re-read): no upper bound known",
        },
    },
    secretsStoreCsi: {
        repo: "https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts",
        chart: "secrets-store-csi-driver",
        version: "1.5.4",
        kubernetes: {
            source: "kubernetes-sigs/secrets-store-csi-driver charts/secrets-store-csi-driver/Chart.yaml declares no kubeVersion (1.5.4 not re-read): no upper bound known",
        },
    },
    secretsStoreAws: {
        repo: "https://aws.github.io/secrets-store-csi-driver-provider-aws",
        chart: "secrets-store-csi-driver-provider-aws",
        version: "2.1.1",
        kubernetes: {
            min: "1.17",
            source: 'aws/secrets-store-csi-driver-provider-aws charts/secrets-store-csi-driver-provider-aws/Chart.yaml: kubeVersion ">=1.17.0-0" (read at chart 2.2.0)',
        },
    },
    metricsServer: {
        repo: "https://kubernetes-sigs.github.io/metrics-server/",
        chart: "metrics-server",
        version: "3.12.2",
        kubernetes: {
            source: "kubernetes-sigs/metrics-server charts/metrics-server/Chart.yaml declares no kubeVersion (read at chart 3.8.1); no bound known",
        },
    },
    // 9.59.0 ships CA 1.35.0 for Kubernetes 1.35 (issue #11 finding 14: 9.43.2 shipped CA 1.31).
    clusterAutoscaler: {
        repo: "https://kubernetes.github.io/autoscaler",
        chart: "cluster-autoscaler",
        version: "9.59.0",
        kubernetes: { minor: "1.35", source: CA_RELEASES },
    },
    // issue #12: the Istio ambient mesh (components/app/mesh.ts), installed in this order: CRDs, control plane, CNI node agent, ztunnel.
    istioBase: { repo: ISTIO_REPO, chart: "base", version: ISTIO_VERSION, kubernetes: ISTIO_KUBERNETES },
    istiod: { repo: ISTIO_REPO, chart: "istiod", version: ISTIO_VERSION, kubernetes: ISTIO_KUBERNETES },
    istioCni: { repo: ISTIO_REPO, chart: "cni", version: ISTIO_VERSION, kubernetes: ISTIO_KUBERNETES },
    ztunnel: { repo: ISTIO_REPO, chart: "ztunnel", version: ISTIO_VERSION, kubernetes: ISTIO_KUBERNETES },
    // issue #13: the log shipper on both clusters (components/observability/logShipping/); chart 0.58.1 ships Fluent Bit 5.1.1.
    fluentBit: {
        repo: "https://fluent.github.io/helm-charts",
        chart: "fluent-bit",
        version: "0.58.1",
        kubernetes: {
            source: "fluent/helm-charts charts/fluent-bit/Chart.yaml at 0.58.1 (2026-08-17): appVersion 5.1.1, declares no kubeVersion: no bound known; Fluent Bit publishes no support window",
        },
    },
    // issue #13: the monitoring collectors on both clusters (components/observability/collection), from the charts' upstream repositories.
    otelCollector: {
        repo: "https://open-telemetry.github.io/opentelemetry-helm-charts",
        chart: "opentelemetry-collector",
        version: "0.127.2",
        kubernetes: {
            source: "open-telemetry/opentelemetry-helm-charts charts/opentelemetry-collector (0.127.2, collector 0.127.0; Chart.yaml not read): no bound known",
        },
    },
    kubeStateMetrics: {
        repo: "https://prometheus-community.github.io/helm-charts",
        chart: "kube-state-metrics",
        version: "7.1.0",
        kubernetes: {
            source: "prometheus-community/helm-charts charts/kube-state-metrics/Chart.yaml declares no kubeVersion (7.1.0 not re-read): no upper bound known",
        },
    },
    nodeExporter: {
        repo: "https://prometheus-community.github.io/helm-charts",
        chart: "prometheus-node-exporter",
        version: "4.24.0",
        kubernetes: {
            source: "prometheus-community/helm-charts charts/prometheus-node-exporter/Chart.yaml declares no kubeVersion (4.24.0 not re-read): no upper bound known",
        },
    },
} as const satisfies Record<string, { repo: string; chart: string; version: string; kubernetes: ChartKubernetes }>;

/** issue #13: the collector image the opentelemetry-collector chart runs (contrib: awsxray, prometheusremotewrite, sigv4auth, probabilistic_sampler). */
export const OTEL_COLLECTOR_IMAGE = { repository: "otel/opentelemetry-collector-contrib", tag: "0.127.0" } as const;

/**
 * The Cluster Autoscaler minor each cluster-autoscaler chart release ships (its Chart.yaml appVersion), from the chart's
 * tags in kubernetes/autoscaler: a chart version outside the pin still gets its CA minor checked against the cluster.
 */
export const CLUSTER_AUTOSCALER_CHART_MINORS: readonly { readonly from: string; readonly to: string; readonly minor: string }[] = [
    { from: "9.37.0", to: "9.37.99", minor: "1.30" },
    { from: "9.38.0", to: "9.44.99", minor: "1.31" },
    { from: "9.45.0", to: "9.46.99", minor: "1.32" },
    { from: "9.47.0", to: "9.51.99", minor: "1.33" },
    { from: "9.52.0", to: "9.53.99", minor: "1.34" },
    { from: "9.54.0", to: "9.59.99", minor: "1.35" },
];

const semver = (v: string) => v.split(".").map(Number);
const semverCompare = (a: string, b: string) => {
    const [x, y] = [semver(a), semver(b)];
    for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
};

/** The CA minor a cluster-autoscaler chart version ships, if known. */
export function clusterAutoscalerMinor(chartVersion: string): string | undefined {
    return CLUSTER_AUTOSCALER_CHART_MINORS.find((r) => semverCompare(chartVersion, r.from) >= 0 && semverCompare(chartVersion, r.to) <= 0)?.minor;
}

/** Whether a chart pin supports a Kubernetes minor ("1.35"); the reason when it does not. */
export function chartKubernetesProblem(k: ChartKubernetes, kubernetes: string): string | undefined {
    const n = (v: string) => Number(v.split(".")[1] ?? NaN);
    if (k.minor !== undefined && k.minor !== kubernetes) return `ships a build for Kubernetes ${k.minor}, not ${kubernetes}`;
    if (k.min !== undefined && n(kubernetes) < n(k.min)) return `supports Kubernetes ${k.min} and later, not ${kubernetes}`;
    if (k.max !== undefined && n(kubernetes) > n(k.max)) return `supports Kubernetes up to ${k.max}, not ${kubernetes}`;
    return undefined;
}

// ---------------------------------------------------------------------------------------------
// Lambda runtimes
// ---------------------------------------------------------------------------------------------

const LAMBDA_RUNTIMES_PAGE = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html (supported and deprecated runtimes)";

/**
 * Lambda runtimes with their deprecation dates (from the deprecation date Lambda no longer patches the runtime and, a
 * month or so later, blocks creating functions on it): `standardSupportEnds` is the deprecation date.
 */
export const LAMBDA_RUNTIMES = {
    "python3.9": { standardSupportEnds: "2025-12-15", source: LAMBDA_RUNTIMES_PAGE, confirmed: true },
    "python3.10": { standardSupportEnds: "2026-06-30", source: LAMBDA_RUNTIMES_PAGE, confirmed: true },
    "python3.11": { standardSupportEnds: "2026-06-30", source: LAMBDA_RUNTIMES_PAGE, confirmed: true },
    "python3.12": { standardSupportEnds: "2028-10-31", source: LAMBDA_RUNTIMES_PAGE, confirmed: true },
    "python3.13": { standardSupportEnds: "2029-06-30", source: LAMBDA_RUNTIMES_PAGE, confirmed: true },
    "python3.14": { standardSupportEnds: "2029-06-30", source: LAMBDA_RUNTIMES_PAGE, confirmed: true },
    "nodejs20.x": { standardSupportEnds: "2026-04-30", source: LAMBDA_RUNTIMES_PAGE, confirmed: true },
    "nodejs22.x": { standardSupportEnds: "2027-04-30", source: LAMBDA_RUNTIMES_PAGE, confirmed: true },
    "nodejs24.x": { standardSupportEnds: "2028-04-30", source: LAMBDA_RUNTIMES_PAGE, confirmed: true },
} as const satisfies Record<string, SupportWindow>;

/** ElastiCache engine versions with an announced window (Redis OSS 4 and 5); 7.x has none announced. */
export const REDIS_WINDOWS = {
    "4": {
        standardSupportEnds: "2026-01-31",
        extendedSupportEnds: "2029-01-31",
        source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/extended-support.html",
        confirmed: false,
    },
    "5": {
        standardSupportEnds: "2026-01-31",
        extendedSupportEnds: "2029-01-31",
        source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/extended-support.html",
        confirmed: false,
    },
} as const satisfies Record<string, SupportWindow>;

/** The AWS-published single-user rotation function for RDS PostgreSQL (Serverless Application Repository), pinned. */
export const POSTGRES_ROTATION_APP = {
    applicationId: "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser",
    // The version aws-cdk pins for the commercial partition (SecretRotationApplication.POSTGRES_ROTATION_SINGLE_USER).
    semanticVersion: "1.1.671",
    // Issue #11 "to verify": the Lambda runtime this version's template creates. 1.1.367 was python3.9 and 1.1.618 python3.10
    // (aws-cdk #26884, #35528); aws-cdk #37660 (merged 2026-04-21, closing #37462 "python 3.10 ... announced for EOL") moved
    // every rotation application to the versions that "use Python 3.12", 1.1.671 for this one (aws-cdk
    // packages/aws-cdk-lib/aws-secretsmanager/lib/secret-rotation.ts). Not past deprecation: nothing to re-pin.
    runtime: "python3.12",
    runtimeSource:
        "aws/aws-cdk PR #37660 (SAR rotation applications on Python 3.12) and secret-rotation.ts at 1.1.671; the SAR template itself could not be read offline",
} as const satisfies { applicationId: string; semanticVersion: string; runtime: keyof typeof LAMBDA_RUNTIMES; runtimeSource: string };

/**
 * The Lambda runtime each known Serverless Application Repository application version creates: the support check reads
 * it (a SAR stack's function is not in the plan, only the application and version are).
 */
export const SAR_APP_RUNTIMES: readonly {
    readonly applicationId: string;
    readonly semanticVersion: string;
    readonly runtime: string;
    readonly source: string;
}[] = [
    {
        applicationId: POSTGRES_ROTATION_APP.applicationId,
        semanticVersion: POSTGRES_ROTATION_APP.semanticVersion,
        runtime: POSTGRES_ROTATION_APP.runtime,
        source: POSTGRES_ROTATION_APP.runtimeSource,
    },
    // Earlier versions, so that a pin moved back is checked too.
    {
        applicationId: POSTGRES_ROTATION_APP.applicationId,
        semanticVersion: "1.1.618",
        runtime: "python3.10",
        source: "aws/aws-cdk PR #35528: 1.1.618 'will upgrade the python version of the SecretRotationApplication to version 3.10'",
    },
    {
        applicationId: POSTGRES_ROTATION_APP.applicationId,
        semanticVersion: "1.1.367",
        runtime: "python3.9",
        source: "aws/aws-cdk PR #26884 and #35528: 1.1.367 'creates a secret rotation lambda using python version 3.9'",
    },
];

/** The runtime a SAR application version creates, if known. */
export function sarAppRuntime(applicationId: string, semanticVersion: string): string | undefined {
    return SAR_APP_RUNTIMES.find((a) => a.applicationId === applicationId && a.semanticVersion === semanticVersion)?.runtime;
}

/**
 * The ElastiCache user password rotation function's runtime (components/data/redisRotation.ts): AWS publishes no SAR
 * application for it, so the project deploys its own function on a Node.js runtime, whose AWS SDK v3 is built in.
 */
export const REDIS_ROTATION_RUNTIME = "nodejs24.x" satisfies keyof typeof LAMBDA_RUNTIMES;

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
    // Their functions' runtimes, with Lambda's deprecation dates.
    {
        component: "Lambda runtime of SAR SecretsManagerRDSPostgreSQLRotationSingleUser",
        version: POSTGRES_ROTATION_APP.runtime,
        role: "pinned",
        support: LAMBDA_RUNTIMES[POSTGRES_ROTATION_APP.runtime],
    },
    {
        component: "Lambda runtime of the ElastiCache user rotation",
        version: REDIS_ROTATION_RUNTIME,
        role: "pinned",
        support: LAMBDA_RUNTIMES[REDIS_ROTATION_RUNTIME],
    },
];

/** The pins whose standard support has ended on `date` (ISO), for a warning; extended support may still run. */
export function pastStandardSupport(date: string, pins: readonly PinnedVersion[] = PINNED_VERSIONS): PinnedVersion[] {
    return pins.filter((p) => {
        const ends = p.support?.standardSupportEnds ?? p.support?.noNewResourcesFrom;
        return ends !== undefined && ends < date;
    });
}
