/**
 * Every pinned version in one place: the managed engines, Kubernetes, the Helm charts and the
 * Serverless Application Repository application. Upgrades are reviewed like code: change the pin
 * here, read the release notes, and re-run the plan. (End-of-support dates and their sources: see
 * each entry.)
 */

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

