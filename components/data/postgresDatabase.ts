import * as pulumi from "@pulumi/pulumi";
import { DEFAULTS } from "../../model/defaults";
import { componentId } from "../../model/names";
import { databaseStorage } from "../../model/storage";
import { validateArgs } from "../argErrors";
import { PostgresDatabaseArgs, validatePostgresArgs } from "./postgresArgs";
import { createMasterCredentials } from "./postgresCredentials";
import { createPostgresInstance } from "./postgresInstance";
import { createPostgresMonitoring } from "./postgresMonitoring";
import { createPostgresNetwork } from "./postgresNetwork";
import { createParameterGroup } from "./postgresParameters";
import { createRotation } from "./postgresRotation";

export { MASTER_USERNAME, POSTGRES_LOG_EXPORTS, RDS_MONITORING_INTERVALS, RDS_PASSWORD_EXCLUDED, RDS_PASSWORD_SPECIALS } from "./postgresArgs";
export type { PostgresDatabaseArgs, SecretReplica } from "./postgresArgs";

const PG = DEFAULTS.data.postgres;

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
 *
 * Each step (network, parameter group, monitoring, credentials, instance, rotation) is a helper in
 * its own `postgres*.ts` file taking this component as parent, so names, URNs and options are those
 * of one flat component.
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
        const identifier = componentId(name, pulumi.getStack());
        validateArgs(`PostgresDatabase ${name}`, (e) => validatePostgresArgs(e, args, identifier));
        super("hybrid:data:PostgresDatabase", name, {}, opts);
        const scope = { identifier, tags: args.tags ?? {} };
        const production = args.production ?? true;
        const engineVersion = args.engineVersion ?? PG.engineVersion;
        const passwordVersion = args.masterPasswordVersion ?? PG.masterPasswordVersion;
        const rotationDays = args.passwordRotationDays ?? PG.passwordRotationDays;
        const logRetentionDays = args.logRetentionDays ?? DEFAULTS.observability.logRetentionDays;

        const storage = databaseStorage({
            initialGb: args.initialStorageGb ?? PG.initialStorageGb,
            annualGrowthGb: args.annualGrowthGb ?? PG.annualGrowthGb,
            years: args.growthYears ?? DEFAULTS.capacity.growthYears,
            headroomPercent: args.storageHeadroomPercent,
        });
        this.allocatedStorage = storage.allocatedStorage;
        this.maxAllocatedStorage = storage.maxAllocatedStorage;

        const network = createPostgresNetwork(this, name, {
            ...scope,
            vpcId: args.vpcId,
            subnetIds: args.subnetIds,
            clientSecurityGroupId: args.clientSecurityGroupId,
        });
        const parameterGroup = createParameterGroup(this, name, { ...scope, engineVersion, slowStatementMs: args.slowStatementMs ?? PG.slowStatementMs });
        const monitoring = createPostgresMonitoring(this, name, { ...scope, accountId: args.accountId, logKeyArn: args.logKeyArn, logRetentionDays });
        const credentials = createMasterCredentials(this, name, {
            ...scope,
            secretKeyArn: args.secretKeyArn,
            secretReplicas: args.secretReplicas,
            passwordVersion,
            rotationDays,
            production,
        });
        const db = createPostgresInstance(this, name, {
            ...scope,
            storageKeyArn: args.storageKeyArn,
            instanceClass: args.instanceClass,
            backupRetentionDays: args.backupRetentionDays,
            backupWindow: args.backupWindow,
            maintenanceWindow: args.maintenanceWindow,
            performanceInsightsRetentionDays: args.performanceInsightsRetentionDays,
            monitoringIntervalSeconds: args.monitoringIntervalSeconds,
            engineVersion,
            production,
            storage,
            network,
            parameterGroup,
            monitoring,
            password: credentials.password,
            passwordVersion,
        });
        const rotation = createRotation(this, name, {
            ...scope,
            vpcId: args.vpcId,
            region: args.region,
            rotationSubnetIds: args.rotationSubnetIds,
            apiEndpointSecurityGroupId: args.apiEndpointSecurityGroupId,
            secretKeyArn: args.secretKeyArn,
            logKeyArn: args.logKeyArn,
            password: credentials.password,
            passwordVersion,
            rotationDays,
            secret: credentials.secret,
            db,
            databaseSecurityGroupId: network.securityGroup.id,
            logRetentionDays,
        });

        this.arn = db.arn;
        this.identifier = db.identifier;
        this.endpoint = db.endpoint;
        this.address = db.address;
        this.resourceId = db.resourceId;
        this.logGroupNames = [...monitoring.logGroups.map((g) => g.name), rotation.logGroupName];
        this.port = db.port;
        this.securityGroupId = network.securityGroup.id;
        this.masterSecretArn = credentials.secret.arn;
        this.masterSecretReplicaArns = credentials.replicaArns;
        this.rotationFunctionArn = rotation.functionArn;
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
}
