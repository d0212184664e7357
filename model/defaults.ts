/**
 * Every configuration default, declared once. The zod schema's `.default(...)` reads them from
 * here, components fall back to the same constant (`args.x ?? DEFAULTS.section.x`), and the
 * README's configuration table is generated from the schema (`npm run docs`), so the three cannot
 * drift. The tree mirrors the config keys: `DEFAULTS.data.postgres.backupRetentionDays` is
 * `hybrid-platform:data.postgres.backupRetentionDays`.
 *
 * These are the regulated-production values (seed sections 2, 4, 7, 9), not the providers' defaults.
 */
import type { AWS_REGIONS } from "./regions";
import { DEFAULT_KUBERNETES_VERSION, OPENSEARCH, POSTGRES, postgresParameterGroupFamily, REDIS } from "./versions";

type AwsRegion = (typeof AWS_REGIONS)[number];

/** The healthcheck path of the web and API services (load balancer probe, Route53 checks). */
const HEALTH_CHECK_PATH = "/healthz";
/** One year of log evidence (seed 9 audit compliance). */
const ONE_YEAR_DAYS = 365;
const PROD_DATABASE_CLASS = "db.m5.xlarge";

export const DEFAULTS = {
    environment: "production",
    network: {
        azCount: 3,
        singleNatGateway: false,
        flowLogRetentionDays: ONE_YEAR_DAYS,
        peerVpcCidrs: [] as string[],
        onPrem: { staticRoutesOnly: false },
    },
    capacity: { growthYears: 5 },
    observability: {
        healthCheckPath: HEALTH_CHECK_PATH,
        logRetentionDays: ONE_YEAR_DAYS,
        cpuAlarmPercent: 80,
        errorRateAlarmPercent: 1,
        logSearch: { instanceType: "r6g.large.search", dataNodesPerAz: 1, volumeGb: 200, engineVersion: OPENSEARCH.version },
        // issue #13: the alarm thresholds beyond the seed's CPU and error rate (model/alarms.ts says why each).
        alarms: {
            databaseFreeStorageGiB: 50,
            databaseFreeableMemoryMiB: 1024,
            databaseConnectionsPercent: 80,
            cacheMemoryPercent: 80,
            cacheEvictions: 0,
            cacheReplicationLagSeconds: 30,
            natPacketsDropped: 1000,
            responseTimeP99Seconds: 2,
            // AWS's recommended alarms: FreeStorageSpace under 25% of a node's storage, JVMMemoryPressure at 95%.
            searchFreeStoragePercent: 25,
            searchJvmMemoryPressurePercent: 95,
            wafBlockedRequests: 1000,
        },
        // issue #13 (F): SLOs and the Prometheus rules' thresholds (model/slo.ts, model/alertRules.ts).
        slo: { availabilityTargetPercent: 99.9, latencyTargetPercent: 99, latencyThresholdSeconds: 0.5, celeryBacklogTasks: 1000 },
        // issue #13 part D: the log shippers (components/observability/logShipping/). A year in CloudWatch Logs, the audit
        // retention the log-retention policy asks of every group; a month searchable in OpenSearch (its disks are the cost).
        logs: { retentionDays: ONE_YEAR_DAYS, hostRetentionDays: ONE_YEAR_DAYS, indexPrefix: "logs", searchRetentionDays: 30 },
        // issue #13: the collectors (model/collection.ts). 5% of traces, as the X-Ray default sampling rule's fixed rate; 30 s scrapes.
        collection: { traceSampling: 0.05, scrapeIntervalSeconds: 30, onPrem: { clientCertificateSecretName: "telemetry-client-certificate" } },
    },
    audit: { trailLogRetentionDays: ONE_YEAR_DAYS, archiveDays: 2557, immutableDays: 365, copyComplianceDays: 365 },
    app: {
        kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
        instanceType: "m5.xlarge",
        nodeVolumeGiB: 50,
        tlsPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06",
        endpointPublicAccessCidrs: [] as string[],
        celeryWorkersPer500Users: 2,
        targetCpuPercent: 70,
        targetMemoryPercent: 80,
        wafRateLimit: 2000,
        // The portal's document upload endpoints (Django) and their ceiling: 25 MiB per document.
        wafUploadPaths: ["/documents/upload", "/api/documents"] as string[],
        wafMaxUploadBytes: 25 * 1024 * 1024,
        release: { canaryWeight: 10, promote: false },
        onPrem: { ingressClassName: "nginx", runtimeSecretName: "portal-runtime", imagePullSecretName: "registry-pull", ingressNamespace: "ingress-nginx" },
    },
    data: {
        postgres: {
            instanceClass: PROD_DATABASE_CLASS,
            engineVersion: POSTGRES.version,
            initialStorageGb: 1000,
            annualGrowthGb: 200,
            storageHeadroomPercent: 20,
            backupRetentionDays: 14,
            backupWindow: "01:00-02:00",
            maintenanceWindow: "sun:03:00-sun:04:00",
            monitoringIntervalSeconds: 15,
            performanceInsightsRetentionDays: 7,
            slowStatementMs: 1000,
            passwordRotationDays: 30,
            masterPasswordVersion: 1,
            secretReplicaRegions: [] as AwsRegion[],
        },
        redis: {
            engine: REDIS.engine,
            engineVersion: REDIS.version,
            nodeType: "cache.m6g.large",
            shards: 3,
            replicasPerShard: 1,
            snapshotRetentionDays: 7,
            snapshotWindow: "02:00-03:00",
            maintenanceWindow: "mon:03:00-mon:04:00",
            passwordRotationDays: 30,
        },
        documents: { noncurrentVersionExpirationDays: 365, noncurrentVersionTransitionDays: 30, accessLogRetentionDays: 400 },
        onPremObjectStore: { region: "us-east-1", noncurrentVersionExpirationDays: 90, syncPrefix: "onprem/" },
    },
    tags: {} as Record<string, string>,
    dr: {
        rpoMinutes: 15,
        rtoMinutes: 240,
        databaseInstanceClass: PROD_DATABASE_CLASS,
        databaseParameterGroupFamily: postgresParameterGroupFamily(POSTGRES.version),
        replicaLagAlarmSeconds: 300,
        replicationLatencyAlarmSeconds: 600,
        gslb: { routing: "weighted", healthCheckPath: HEALTH_CHECK_PATH, awsWeight: 100, onPrem: { weight: 0 } },
    },
    drMode: "standby",
    ci: { runnerComputeType: "BUILD_GENERAL1_MEDIUM", runnerTimeoutMinutes: 240 },
    /** The account's bootstrap stack prod and dr read (stacks/bootstrap.ts). */
    bootstrapStack: "bootstrap",
    // issue #16: the on-prem hosts Ansible configures (model/onPremHosts.ts).
    onPrem: {
        /** The account Ansible logs in as (sudo to root), never root itself (CIS 5.2: no root login). */
        sshUser: "ansible",
        /** Syslog over TLS (RFC 5425). */
        socSyslog: { port: 6514 },
        /** The on-prem cluster's ingress controller on each node (ingress-nginx as a host-network DaemonSet). */
        ingressPort: 443,
    },
} as const;

/** The defaults of a bootstrap stack's own keys (model/bootstrapConfig.ts: not the prod/dr schema DEFAULTS mirrors). */
export const BOOTSTRAP_DEFAULTS = {
    ci: { environments: ["prod", "dr"], githubConnection: true },
    delivery: {
        /** Each application repository pushes the image of the same name (components/app/registries.ts IMAGES). */
        appRepositories: { "django-web": ["django-web"], "fastapi-api": ["fastapi-api"], "celery-worker": ["celery-worker"] },
        /** The GitHub environment the scheduled DR drill runs in (its drill role's OIDC subject). */
        drillEnvironment: "dr-drill",
        /** The KMS alias of the state's secrets provider (README: `pulumi stack init --secrets-provider awskms://alias/...`). */
        stateKeyAlias: "alias/hybrid-platform/pulumi-state",
    },
} as const;
