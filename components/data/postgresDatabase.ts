import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { POSTGRES_ROTATION_APP } from "../../model/versions";
import * as random from "@pulumi/random";
import { arnInRegion } from "../../model/regions";
import { databaseStorage } from "../../model/storage";
import { DEFAULTS } from "../../model/defaults";

const PG = DEFAULTS.data.postgres;

/** A region the master-password secret is replicated to, with the CMK that encrypts it there. */
export interface SecretReplica {
    /** Region of the replica, e.g. the DR region. */
    readonly region: string;
    /** CMK in that region. */
    readonly kmsKeyArn: pulumi.Input<string>;
}

/** Characters RDS refuses in a master password ("/", "@", '"' and space) plus the quote and backslash the rotation function avoids. */
export const RDS_PASSWORD_EXCLUDED = "/@\"' \\";
/** Specials of the generated password: printable ASCII without RDS_PASSWORD_EXCLUDED. */
export const RDS_PASSWORD_SPECIALS = "!#$%&*()-_=+[]{}<>:?.,^~";

export interface PostgresDatabaseArgs {
    /** VPC of the isolated subnets. Required. */
    readonly vpcId: pulumi.Input<string>;
    /** Isolated subnets (one per AZ) for the subnet group. Required. */
    readonly subnetIds: pulumi.Input<string>[];
    /** Security group whose members may connect (port 5432); nothing else is admitted. Required. */
    readonly clientSecurityGroupId: pulumi.Input<string>;
    /** CMK for storage, Performance Insights and the log exports' data. Required. */
    readonly storageKeyArn: pulumi.Input<string>;
    /** CMK for the Secrets Manager secret holding the master password. Required. */
    readonly secretKeyArn: pulumi.Input<string>;
    /** Region of the database (the rotation function's Secrets Manager endpoint). Required. */
    readonly region: string;
    /** Subnets of the rotation function: the private tier, which reaches the database and the Secrets Manager endpoint. Required. */
    readonly rotationSubnetIds: pulumi.Input<string>[];
    /** Security group of the VPC's interface endpoints (the rotation function calls Secrets Manager through it). Required. */
    readonly apiEndpointSecurityGroupId: pulumi.Input<string>;
    /** Days between master-password rotations. Default 30. */
    readonly passwordRotationDays?: number;
    /** Generation of the password Pulumi sets; raising it sets a freshly generated one (break glass). Default 1. */
    readonly masterPasswordVersion?: number;
    /** Regions the master-password secret is replicated to (the DR site). Default none. */
    readonly secretReplicas?: SecretReplica[];
    /** CMK for the CloudWatch log groups of the log exports. Required. */
    readonly logKeyArn: pulumi.Input<string>;
    /** Instance class. Default db.m5.xlarge. */
    readonly instanceClass?: string;
    /** Pinned PostgreSQL major.minor version. Default 16.6. */
    readonly engineVersion?: string;
    /** Storage on day one, GB. Default 1000. */
    readonly initialStorageGb?: number;
    /** Growth per year, GB. Default 200. */
    readonly annualGrowthGb?: number;
    /** Years of growth the autoscaling ceiling covers. Default 5. */
    readonly growthYears?: number;
    /** Percent of headroom above the projected size. Default 20. */
    readonly storageHeadroomPercent?: number;
    /** Automated backup (PITR) retention, days. Default 14. */
    readonly backupRetentionDays?: number;
    /** Daily backup window, UTC. Default 01:00-02:00. */
    readonly backupWindow?: string;
    /** Weekly maintenance window, UTC. Default sun:03:00-sun:04:00. */
    readonly maintenanceWindow?: string;
    /** Enhanced Monitoring interval, seconds. Default 15. */
    readonly monitoringIntervalSeconds?: number;
    /** Performance Insights retention, days. Default 7. */
    readonly performanceInsightsRetentionDays?: number;
    /** Statements slower than this are logged, ms. Default 1000. */
    readonly slowStatementMs?: number;
    /** Production: deletion protection and a final snapshot. Default true. */
    readonly production?: boolean;
    /** Retention of the exported PostgreSQL logs, days. Default 365. */
    readonly logRetentionDays?: number;
    /** Tags. Default none (provider default tags still apply). */
    readonly tags?: Record<string, string>;
}

/** Log types RDS PostgreSQL exports to CloudWatch. */
export const POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

/**
 * RDS PostgreSQL, Multi-AZ with a synchronous standby (seed 1.3, 2), in the isolated subnets,
 * reachable on 5432 only from the data-clients security group. Encrypted with a CMK, TLS
 * enforced by the parameter group, IAM authentication on, storage autoscaling sized from the
 * capacity plan (seed 7), PITR backups, Performance Insights, Enhanced Monitoring and log
 * exports to CMK-encrypted log groups.
 *
 * The master password is generated here, handed to RDS and to a CMK-encrypted Secrets Manager
 * secret as write-only values (never read back, never in outputs or the plan; Pulumi keeps the
 * initial value in the state only as an encrypted secret, pulumi-terraform-bridge#3201, and the
 * first rotation makes that copy worthless), rotated every `passwordRotationDays` by AWS's
 * rotation function, and replicated to the DR region. Not RDS-managed (`manageMasterUserPassword`):
 * RDS refuses a read replica of a source whose password it manages, and its secret cannot be
 * replicated, so the DR site would have neither a replica nor credentials.
 */
export class PostgresDatabase extends pulumi.ComponentResource {
    readonly arn: pulumi.Output<string>;
    readonly identifier: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    readonly address: pulumi.Output<string>;
    /** Log groups of the exported PostgreSQL logs (connections, DDL) and of the password rotation: audit-relevant. */
    readonly logGroupNames: pulumi.Output<string>[];
    /** DbiResourceId: what IAM policies for `rds-db:connect` name. */
    readonly resourceId: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly securityGroupId: pulumi.Output<string>;
    readonly masterSecretArn: pulumi.Output<string>;
    /** ARN of the master secret's replica per replica region. */
    readonly masterSecretReplicaArns: Record<string, pulumi.Output<string>>;
    /** Lambda that rotates the master password. */
    readonly rotationFunctionArn: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string>;
    readonly allocatedStorage: number;
    readonly maxAllocatedStorage: number;

    constructor(name: string, args: PostgresDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("hybrid:data:PostgresDatabase", name, {}, opts);
        const child = { parent: this };
        const tags = args.tags ?? {};
        const production = args.production ?? true;
        const engineVersion = args.engineVersion ?? PG.engineVersion;
        const major = engineVersion.split(".")[0];
        const identifier = `${name}-${pulumi.getStack()}`;

        const storage = databaseStorage({
            initialGb: args.initialStorageGb ?? PG.initialStorageGb,
            annualGrowthGb: args.annualGrowthGb ?? PG.annualGrowthGb,
            years: args.growthYears ?? DEFAULTS.capacity.growthYears,
            headroomPercent: args.storageHeadroomPercent,
        });
        this.allocatedStorage = storage.allocatedStorage;
        this.maxAllocatedStorage = storage.maxAllocatedStorage;

        const subnetGroup = new aws.rds.SubnetGroup(name, { name: identifier, description: `Isolated subnets of ${identifier}`, subnetIds: args.subnetIds, tags }, child);

        const sg = new aws.ec2.SecurityGroup(name, { vpcId: args.vpcId, description: `PostgreSQL ${identifier}: 5432 from data clients only`, tags: { ...tags, Name: `${identifier}-postgres` } }, child);
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-from-clients`,
            { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: args.clientSecurityGroupId, description: "PostgreSQL from data clients" },
            child,
        );
        this.securityGroupId = sg.id;

        const parameterGroup = new aws.rds.ParameterGroup(
            name,
            {
                name: identifier,
                family: `postgres${major}`,
                description: `TLS-only, audit-friendly logging for ${identifier}`,
                parameters: [
                    { name: "rds.force_ssl", value: "1" },
                    // Seed 4.2: TLS 1.3 for internal communications.
                    { name: "ssl_min_protocol_version", value: "TLSv1.3" },
                    { name: "log_connections", value: "1" },
                    { name: "log_disconnections", value: "1" },
                    { name: "log_lock_waits", value: "1" },
                    { name: "log_statement", value: "ddl" },
                    { name: "log_min_duration_statement", value: String(args.slowStatementMs ?? PG.slowStatementMs) },
                    { name: "log_temp_files", value: "0" },
                    { name: "log_autovacuum_min_duration", value: "10000" },
                    { name: "shared_preload_libraries", value: "pg_stat_statements", applyMethod: "pending-reboot" },
                ],
                tags,
            },
            child,
        );

        // Pre-created so the exports land in CMK-encrypted groups with a retention, not RDS's unencrypted, never-expiring defaults.
        const logGroups = POSTGRES_LOG_EXPORTS.map(
            (log) =>
                new aws.cloudwatch.LogGroup(
                    `${name}-${log}`,
                    { name: `/aws/rds/instance/${identifier}/${log}`, retentionInDays: args.logRetentionDays ?? DEFAULTS.observability.logRetentionDays, kmsKeyId: args.logKeyArn, tags },
                    child,
                ),
        );

        const account = aws.getCallerIdentityOutput({}, child).accountId;
        const monitoringRole = new aws.iam.Role(
            `${name}-monitoring`,
            {
                description: `Enhanced Monitoring of ${identifier}`,
                assumeRolePolicy: account.apply((accountId) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": accountId } } },
                        ],
                    }),
                ),
                tags,
            },
            child,
        );
        const monitoringPolicy = new aws.iam.RolePolicyAttachment(
            `${name}-monitoring`,
            { role: monitoringRole.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" },
            child,
        );

        const passwordVersion = args.masterPasswordVersion ?? PG.masterPasswordVersion;
        const rotationDays = args.passwordRotationDays ?? PG.passwordRotationDays;
        const password = new random.RandomPassword(
            `${name}-master`,
            { length: 40, special: true, overrideSpecial: RDS_PASSWORD_SPECIALS, minSpecial: 2, minNumeric: 2, minUpper: 2, minLower: 2, keepers: { version: String(passwordVersion) } },
            child,
        );
        const secret = new aws.secretsmanager.Secret(
            `${name}-master`,
            {
                name: `${identifier}/master`,
                description: `Master credentials of ${identifier} (rotated every ${rotationDays} days)`,
                kmsKeyId: args.secretKeyArn,
                recoveryWindowInDays: production ? 30 : 7,
                replicas: (args.secretReplicas ?? []).map((r) => ({ region: r.region, kmsKeyId: r.kmsKeyArn })),
                tags,
            },
            child,
        );

        const db = new aws.rds.Instance(
            name,
            {
                identifier,
                engine: "postgres",
                engineVersion,
                // Pinned: minor upgrades happen when the config changes, in the maintenance window.
                autoMinorVersionUpgrade: false,
                allowMajorVersionUpgrade: false,
                instanceClass: args.instanceClass ?? PG.instanceClass,
                multiAz: true,
                storageType: "gp3",
                allocatedStorage: storage.allocatedStorage,
                maxAllocatedStorage: storage.maxAllocatedStorage,
                storageEncrypted: true,
                kmsKeyId: args.storageKeyArn,
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [sg.id],
                publiclyAccessible: false,
                port: 5432,
                parameterGroupName: parameterGroup.name,
                username: MASTER_USERNAME,
                passwordWo: password.result,
                passwordWoVersion: passwordVersion,
                iamDatabaseAuthenticationEnabled: true,
                backupRetentionPeriod: args.backupRetentionDays ?? PG.backupRetentionDays,
                backupWindow: args.backupWindow ?? PG.backupWindow,
                maintenanceWindow: args.maintenanceWindow ?? PG.maintenanceWindow,
                copyTagsToSnapshot: true,
                deleteAutomatedBackups: !production,
                deletionProtection: production,
                skipFinalSnapshot: !production,
                finalSnapshotIdentifier: production ? `${identifier}-final` : undefined,
                performanceInsightsEnabled: true,
                performanceInsightsKmsKeyId: args.storageKeyArn,
                performanceInsightsRetentionPeriod: args.performanceInsightsRetentionDays ?? PG.performanceInsightsRetentionDays,
                monitoringInterval: args.monitoringIntervalSeconds ?? PG.monitoringIntervalSeconds,
                monitoringRoleArn: monitoringRole.arn,
                enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
                caCertIdentifier: "rds-ca-rsa2048-g1",
                applyImmediately: false,
                tags,
            },
            // Production: `pulumi destroy` or a replacing change must be an explicit decision.
            { parent: this, dependsOn: [...logGroups, monitoringPolicy], protect: production },
        );

        // The rotation function's format (engine, host, username, password, dbname, port); written once per password generation.
        const secretVersion = new aws.secretsmanager.SecretVersion(
            `${name}-master`,
            {
                secretId: secret.id,
                secretStringWo: pulumi
                    .all([password.result, db.address, db.port])
                    .apply(([pw, host, port]) => JSON.stringify({ engine: "postgres", host, username: MASTER_USERNAME, password: pw, dbname: "postgres", port, dbInstanceIdentifier: identifier })),
                secretStringWoVersion: passwordVersion,
            },
            // Rotation moves the AWSCURRENT label to its own versions; Pulumi must not move it back.
            { parent: this, ignoreChanges: ["versionStages"] },
        );
        const rotation = this.rotation(name, identifier, args, sg.id, tags);
        new aws.secretsmanager.SecretRotation(
            `${name}-master`,
            { secretId: secret.id, rotationLambdaArn: rotation.functionArn, rotationRules: { automaticallyAfterDays: rotationDays } },
            { parent: this, dependsOn: [secretVersion, ...rotation.dependsOn] },
        );
        this.rotationFunctionArn = rotation.functionArn;

        this.arn = db.arn;
        this.identifier = db.identifier;
        this.endpoint = db.endpoint;
        this.address = db.address;
        this.resourceId = db.resourceId;
        this.logGroupNames = [...logGroups.map((g) => g.name), rotation.logGroupName];
        this.port = db.port;
        this.masterSecretArn = secret.arn;
        this.masterSecretReplicaArns = Object.fromEntries((args.secretReplicas ?? []).map((r) => [r.region, secret.arn.apply((arn) => arnInRegion(arn, r.region))]));
        this.keyArn = pulumi.output(args.storageKeyArn);
        this.registerOutputs({
            arn: this.arn,
            identifier: this.identifier,
            endpoint: this.endpoint,
            securityGroupId: this.securityGroupId,
            masterSecretArn: this.masterSecretArn,
            masterSecretReplicaArns: this.masterSecretReplicaArns,
            rotationFunctionArn: this.rotationFunctionArn,
            keyArn: this.keyArn,
        });
    }

    /**
     * AWS's rotation function in the private tier: its own security group, admitted by the
     * database on 5432 and reaching only the database and the interface endpoints; its log group
     * pre-created with the CMK and a retention (Lambda's default group has neither).
     */
    private rotation(name: string, identifier: string, args: PostgresDatabaseArgs, databaseSecurityGroupId: pulumi.Output<string>, tags: Record<string, string>) {
        const child = { parent: this };
        const functionName = `${identifier}-rotation`;
        const sg = new aws.ec2.SecurityGroup(
            `${name}-rotation`,
            { vpcId: args.vpcId, description: `Password rotation of ${identifier}: PostgreSQL and the AWS API endpoints only`, tags: { ...tags, Name: functionName } },
            child,
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-rotation-to-database`,
            { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: databaseSecurityGroupId, description: "PostgreSQL: ALTER USER" },
            child,
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-rotation-to-endpoints`,
            { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: args.apiEndpointSecurityGroupId, description: "Secrets Manager and KMS through the VPC endpoints" },
            child,
        );
        const ingress = new aws.vpc.SecurityGroupIngressRule(
            `${name}-from-rotation`,
            { securityGroupId: databaseSecurityGroupId, ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: sg.id, description: "PostgreSQL from the password rotation function" },
            child,
        );
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-rotation`,
            { name: `/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays ?? DEFAULTS.observability.logRetentionDays, kmsKeyId: args.logKeyArn, tags },
            child,
        );
        const app = new aws.serverlessrepository.CloudFormationStack(
            `${name}-rotation`,
            {
                name: functionName,
                applicationId: POSTGRES_ROTATION_APP.applicationId,
                semanticVersion: POSTGRES_ROTATION_APP.semanticVersion,
                // The template creates the function's role and Secrets Manager's permission to invoke it.
                capabilities: ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"],
                parameters: {
                    functionName,
                    endpoint: `https://secretsmanager.${args.region}.amazonaws.com`,
                    vpcSubnetIds: pulumi.all(args.rotationSubnetIds).apply((ids) => ids.join(",")),
                    vpcSecurityGroupIds: sg.id,
                    kmsKeyArn: args.secretKeyArn,
                    excludeCharacters: RDS_PASSWORD_EXCLUDED,
                },
                tags,
            },
            { parent: this, dependsOn: [logGroup] },
        );
        return { functionArn: app.outputs.apply((o) => o["RotationLambdaARN"]), dependsOn: [ingress], logGroupName: logGroup.name };
    }
}

/** The master user, whose credentials the master secret holds. */
export const MASTER_USERNAME = "platform_admin";
