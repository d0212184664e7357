/**
 * The contract between the primary (prod) stack and the dr stack that reads it through a StackReference:
 * every output prod exports, with its resolved type, and which of them dr requires. The output names are
 * what `pulumi stack output` prints and what other tooling reads: never rename one. Pure.
 */
import type { SecretReplicaOutput } from "./drConfig";
import { RequiredKeys, requiredKeys } from "./outputContract";

/** The outputs of a prod stack, resolved (as `pulumi stack output --json` prints them). */
export interface PrimaryOutputValues {
    readonly region: string;
    readonly vpcId: string;
    readonly vpcCidr: string;
    readonly availabilityZones: string[];
    readonly publicSubnetIds: string[];
    readonly privateSubnetIds: string[];
    readonly isolatedSubnetIds: string[];
    /** Only with on-prem configured. */
    readonly vpnConnectionId?: string;
    readonly dataClientSecurityGroupId: string;
    readonly databaseArn: string;
    readonly databaseIdentifier: string;
    readonly databaseEndpoint: string;
    readonly databaseKeyArn: string;
    readonly databaseSecretArn: string;
    /** Per replica region: the master secret's replica there and the key that decrypts it. */
    readonly databaseSecretReplicas: Record<string, SecretReplicaOutput>;
    readonly databaseRotationFunctionArn: string;
    readonly redisConfigurationEndpoint: string;
    readonly redisAuthSecretArn: string;
    readonly cacheKeyArn: string;
    readonly secretsKeyArn: string;
    readonly documentsBucketName: string;
    readonly documentsBucketArn: string;
    readonly documentsKeyArn: string;
    readonly logBucketName: string;
    readonly clusterName: string;
    readonly albDnsName: string;
    readonly albZoneId: string;
    readonly albArn: string;
    /** issue #14: the LoadBalancer dimension of the ALB's metrics, read by the release tool. */
    readonly albArnSuffix: string;
    /** issue #14: each target group's TargetGroup dimension by "<served>:<stable|candidate>" (tools/release.ts). */
    readonly releaseTargetGroups: Record<string, string>;
    readonly publicHostname: string;
    readonly ecrRepositoryUrls: Record<string, string>;
    readonly auditTrailArn: string;
    readonly alertTopicArn: string;
    readonly prometheusEndpoint: string;
    readonly grafanaEndpoint: string;
    readonly logSearchEndpoint: string;
}

/**
 * For every prod output, whether the dr stack requires it. A table over every key (the compiler rejects a
 * missing one), so an output added to prod is a decision here, and a dr read cannot be forgotten.
 */
export const PRIMARY_OUTPUTS_READ_BY_DR = {
    region: true,
    vpcId: false,
    vpcCidr: false,
    availabilityZones: false,
    publicSubnetIds: false,
    privateSubnetIds: false,
    isolatedSubnetIds: false,
    vpnConnectionId: false,
    dataClientSecurityGroupId: false,
    // The source of the cross-region read replica.
    databaseArn: true,
    databaseIdentifier: false,
    databaseEndpoint: false,
    databaseKeyArn: false,
    databaseSecretArn: false,
    // The credentials the replica inherits, replicated into the dr region.
    databaseSecretReplicas: true,
    databaseRotationFunctionArn: false,
    redisConfigurationEndpoint: false,
    redisAuthSecretArn: false,
    cacheKeyArn: false,
    secretsKeyArn: false,
    // The source bucket and key of S3 cross-region replication.
    documentsBucketName: true,
    documentsBucketArn: true,
    documentsKeyArn: true,
    logBucketName: false,
    clusterName: false,
    // The PRIMARY member of the failover pair.
    albDnsName: true,
    albZoneId: true,
    albArn: false,
    albArnSuffix: false,
    releaseTargetGroups: false,
    publicHostname: false,
    ecrRepositoryUrls: false,
    auditTrailArn: false,
    alertTopicArn: false,
    prometheusEndpoint: false,
    grafanaEndpoint: false,
    logSearchEndpoint: false,
} as const satisfies { readonly [K in keyof PrimaryOutputValues]-?: boolean };

/** The name of a prod output the dr stack requires. */
export type RequiredPrimaryOutput = RequiredKeys<typeof PRIMARY_OUTPUTS_READ_BY_DR>;

/** The prod outputs the dr stack requires, in prod's output order (the order missing ones are reported in). */
export const REQUIRED_PRIMARY_OUTPUTS: readonly RequiredPrimaryOutput[] = requiredKeys(PRIMARY_OUTPUTS_READ_BY_DR);
