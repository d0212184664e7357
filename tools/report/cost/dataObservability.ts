/**
 * Issue #15 part CD: the pricers of the data, storage, observability, security and delivery types, the free
 * companion types of these services (each with why), and their usage assumptions. The pricers live in
 * ./dataObservability/ by service family; prices in model/prices/dataObservability.ts.
 */
import type { PricerSet } from "./index";
import { guarded } from "./dataObservability/common";
import { priceOpenSearchDomain, priceRdsInstance, priceReplicationGroup } from "./dataObservability/database";
import {
    priceAmpWorkspace,
    priceCompositeAlarm,
    priceDashboard,
    priceGrafanaWorkspace,
    priceLambda,
    priceLogGroup,
    priceMetricAlarm,
    priceSamplingRule,
    priceTopic,
    priceXrayGroup,
} from "./dataObservability/observability";
import { priceBucket, priceReplication } from "./dataObservability/storage";
import { priceCodeBuild, priceKmsKey, priceReplicaKey, priceSecret, priceTrail } from "./dataObservability/security";
import { DATA_OBSERVABILITY_USAGE } from "./dataObservability/usage";

const S3_SETTING = "a bucket setting: no charge of its own (what it stores or moves is priced on the bucket)";

export const DATA_OBSERVABILITY: PricerSet = {
    pricers: {
        "aws:rds/instance:Instance": guarded(priceRdsInstance),
        "aws:elasticache/replicationGroup:ReplicationGroup": guarded(priceReplicationGroup),
        "aws:opensearch/domain:Domain": guarded(priceOpenSearchDomain),
        "aws:s3/bucket:Bucket": guarded(priceBucket),
        "aws:s3/bucketV2:BucketV2": guarded(priceBucket),
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig": guarded(priceReplication),
        "aws:kms/key:Key": guarded(priceKmsKey),
        "aws:kms/replicaKey:ReplicaKey": guarded(priceReplicaKey),
        "aws:cloudwatch/logGroup:LogGroup": guarded(priceLogGroup),
        "aws:cloudwatch/metricAlarm:MetricAlarm": guarded(priceMetricAlarm),
        "aws:cloudwatch/compositeAlarm:CompositeAlarm": guarded(priceCompositeAlarm),
        "aws:cloudwatch/dashboard:Dashboard": guarded(priceDashboard),
        "aws:secretsmanager/secret:Secret": guarded(priceSecret),
        "aws:cloudtrail/trail:Trail": guarded(priceTrail),
        "aws:amp/workspace:Workspace": guarded(priceAmpWorkspace),
        "aws:grafana/workspace:Workspace": guarded(priceGrafanaWorkspace),
        "aws:xray/samplingRule:SamplingRule": guarded(priceSamplingRule),
        "aws:xray/group:Group": priceXrayGroup,
        "aws:sns/topic:Topic": guarded(priceTopic),
        // The stacks' only functions rotate secrets: security.
        "aws:lambda/function:Function": guarded(priceLambda),
        "aws:codebuild/project:Project": guarded(priceCodeBuild),
    },
    free: {
        "aws:ec2/flowLog:FlowLog":
            "a flow log is billed as vended-log ingestion and storage on its destination log group (logs.flowLogsGbPerMonth), not itself",
        "aws:rds/parameterGroup:ParameterGroup": "RDS parameter groups are free",
        "aws:rds/subnetGroup:SubnetGroup": "RDS subnet groups are free",
        "aws:rds/optionGroup:OptionGroup": "RDS option groups are free",
        "aws:elasticache/subnetGroup:SubnetGroup": "ElastiCache subnet groups are free",
        "aws:elasticache/parameterGroup:ParameterGroup": "ElastiCache parameter groups are free",
        "aws:elasticache/user:User": "ElastiCache RBAC users are free",
        "aws:elasticache/userGroup:UserGroup": "ElastiCache user groups are free",
        "aws:s3/bucketPolicy:BucketPolicy": S3_SETTING,
        "aws:s3/bucketVersioning:BucketVersioning": `${S3_SETTING}; noncurrent versions are in the bucket's stored size`,
        "aws:s3/bucketVersioningV2:BucketVersioningV2": `${S3_SETTING}; noncurrent versions are in the bucket's stored size`,
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls": S3_SETTING,
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": S3_SETTING,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": `${S3_SETTING}; SSE-KMS calls are on the key's requests line`,
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": `${S3_SETTING}; SSE-KMS calls are on the key's requests line`,
        "aws:s3/bucketLogging:BucketLogging": `${S3_SETTING}; the log objects are priced in the target bucket`,
        "aws:s3/bucketLoggingV2:BucketLoggingV2": `${S3_SETTING}; the log objects are priced in the target bucket`,
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": `${S3_SETTING}; its storage classes split the bucket's storage line`,
        "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": `${S3_SETTING}; its storage classes split the bucket's storage line`,
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": "S3 Object Lock has no charge of its own (retained objects are stored size)",
        "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2": "S3 Object Lock has no charge of its own (retained objects are stored size)",
        "aws:kms/alias:Alias": "KMS aliases are free",
        "aws:kms/grant:Grant": "KMS grants are free",
        "aws:sns/topicPolicy:TopicPolicy": "SNS topic policies are free",
        "aws:sns/topicSubscription:TopicSubscription": "SNS subscriptions are free; deliveries are billed per notification (email/HTTPS, not priced)",
        "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "CloudWatch Logs resource policies are free",
        "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter": "subscription filters are free; the destination's ingestion is priced there",
        "aws:cloudwatch/logMetricFilter:LogMetricFilter": "metric filters are free; the custom metric they publish is not priced",
        "aws:xray/encryptionConfig:EncryptionConfig": "X-Ray encryption settings are free (KMS calls are on the key's line)",
        "aws:grafana/workspaceServiceAccount:WorkspaceServiceAccount": "Grafana service accounts are free (licences are per active user)",
        "aws:grafana/workspaceServiceAccountToken:WorkspaceServiceAccountToken": "Grafana service account tokens are free",
        "aws:grafana/roleAssociation:RoleAssociation": "Grafana role associations are free (licences are per active user)",
        "aws:amp/alertManagerDefinition:AlertManagerDefinition": "AMP alert manager definitions are free (alerts are SNS publishes)",
        "aws:amp/ruleGroupNamespace:RuleGroupNamespace": "AMP rule evaluations are priced as the workspace's query samples",
        "aws:amp/scraper:Scraper": "priced as the samples the workspace ingests (the scraper's own hourly charge is not listed)",
        "aws:lambda/permission:Permission": "Lambda resource policies are free",
        "aws:secretsmanager/secretVersion:SecretVersion": "secret versions are free (the secret is priced monthly)",
        "aws:secretsmanager/secretRotation:SecretRotation": "rotation is free; its Lambda function is priced",
        "aws:codebuild/webhook:Webhook": "CodeBuild webhooks are free (builds are priced per minute)",
        "aws:codeconnections/connection:Connection": "AWS CodeConnections connections are free",
        "aws:codestarconnections/connection:Connection": "AWS CodeStar connections are free",
        "aws:serverlessrepository/cloudFormationStack:CloudFormationStack":
            "a Serverless Application Repository stack is free; its rotation Lambda runs a few times a month, inside Lambda's free tier (1M requests, 400,000 GB-s)",
        "aws:rolesanywhere/trustAnchor:TrustAnchor": "IAM Roles Anywhere has no charge",
        "aws:rolesanywhere/profile:Profile": "IAM Roles Anywhere has no charge",
    },
    usage: DATA_OBSERVABILITY_USAGE,
};
