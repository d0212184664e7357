import * as pulumi from "@pulumi/pulumi";
import { DEFAULTS } from "../../model/defaults";
import { bucketNameProblem, stackResourceName } from "../../model/names";
import { validateArgs } from "../argErrors";
import { REPLICATION_RULE_ID, createDocumentsReplication } from "./documentsReplication";
import { DrReplicaArgs } from "./drReplicaArgs";
import { PrimaryReads, readPrimary } from "./primaryReads";
import { createReplicaDatabase } from "./replicaDatabase";
import { createRpoAlarms } from "./rpoAlarms";

export type { DrReplicaArgs, PrimaryReads };
export { MASTER_CREDENTIAL_TAG } from "./replicaDatabase";
export { REPLICATION_RULE_ID, replicationPolicy } from "./documentsReplication";

/**
 * The data half of the warm standby (seed 3): reads the primary stack (one way), and keeps in the
 * DR region an encrypted cross-region read replica of the prod database and a versioned, SSE-KMS
 * copy of the documents bucket (S3 CRR with Replication Time Control), each under a DR-region CMK,
 * with alarms that fire well before the RPO is lost. In `active` mode the replica is promoted
 * (no replicateSourceDb) to a Multi-AZ primary; nothing in the primary region changes, so the
 * switch works while the primary region is down. Each step is a helper in its own file, taking this
 * component as parent (so names, URNs and options are those of one flat component).
 */
export class DrReplica extends pulumi.ComponentResource {
    /** The primary stack's outputs, as this stack reads them. */
    readonly primary: PrimaryReads;
    readonly databaseIdentifier: pulumi.Output<string>;
    readonly databaseArn: pulumi.Output<string>;
    readonly databaseEndpoint: pulumi.Output<string>;
    /** Host name of the DR database (no port): what the application's DATABASE_HOST takes. */
    readonly databaseAddress: pulumi.Output<string>;
    readonly databaseKeyArn: pulumi.Output<string>;
    /** This region's replica of prod's master secret: the credentials the replica inherits (read-only while prod rotates it). */
    readonly databaseSecretArn: pulumi.Output<string>;
    /** The CMK (owned by prod, in this region) that encrypts that replica. */
    readonly databaseSecretKeyArn: pulumi.Output<string>;
    /** Security group the database admits: attach it to the DR worker nodes (AppCluster `data.clientSecurityGroupId`). */
    readonly clientSecurityGroupId: pulumi.Output<string>;
    readonly documentsBucketName: pulumi.Output<string>;
    readonly documentsBucketArn: pulumi.Output<string>;
    readonly documentsKeyArn: pulumi.Output<string>;
    readonly replicationRoleArn: pulumi.Output<string>;
    readonly replicationRuleId: string;

    constructor(name: string, args: DrReplicaArgs, opts?: pulumi.ComponentResourceOptions) {
        const stack = pulumi.getStack();
        const documentsBucketName = stackResourceName(stack, "documents", args.region);
        validateArgs(`DrReplica ${name}`, (e) => {
            e.check(args.primaryStack.trim() !== "", "primaryStack", "must name the primary stack");
            e.check(args.primaryRegion !== args.region, "primaryRegion", `${args.primaryRegion} is this stack's region too; DR needs a second region`);
            e.atLeast(args.isolatedSubnetIds, 2, "isolatedSubnetIds", "subnets (a promoted Multi-AZ primary spans two AZs)");
            e.check(
                args.databaseParameterGroupFamily === undefined || /^postgres\d+$/.test(args.databaseParameterGroupFamily),
                "databaseParameterGroupFamily",
                `${args.databaseParameterGroupFamily} is not a family such as postgres16`,
            );
            e.check(
                args.databaseInstanceClass === undefined || /^db\.[a-z0-9]+\.[a-z0-9]+$/.test(args.databaseInstanceClass),
                "databaseInstanceClass",
                `${args.databaseInstanceClass} is not an RDS instance class such as db.m5.xlarge`,
            );
            e.integer(args.backupRetentionDays, 1, 35, "backupRetentionDays");
            e.integer(args.replicaLagAlarmSeconds, 1, 86400, "replicaLagAlarmSeconds");
            e.integer(args.replicationLatencyAlarmSeconds, 1, 86400, "replicationLatencyAlarmSeconds");
            e.check(
                args.socDestinationArn === undefined || new RegExp(`^arn:aws[a-z-]*:logs:${args.region}:\\d{12}:destination:.+$`).test(args.socDestinationArn),
                "socDestinationArn",
                `${args.socDestinationArn} is not a CloudWatch Logs destination in ${args.region} (subscriptions cannot cross regions)`,
            );
            // The account id (12 digits) is appended in the documents step.
            const problem = bucketNameProblem(`${documentsBucketName}-${"0".repeat(12)}`);
            e.check(problem === undefined, "region", `makes the DR bucket name ${documentsBucketName}, which ${problem}`);
        });
        super("hybrid:dr:DrReplica", name, {}, opts);
        const mode = args.mode ?? DEFAULTS.drMode;

        const { primary, secretArn, secretKeyArn } = readPrimary(this, name, args);
        const { database, databaseKey, clients } = createReplicaDatabase(this, name, {
            ...args,
            stack,
            mode,
            protect: args.deletionProtection ?? true,
            sourceDatabaseArn: primary.databaseArn,
            masterSecretArn: secretArn,
        });
        const { documents, documentsKey, role } = createDocumentsReplication(this, name, { ...args, stack, documentsBucketName, primary });
        createRpoAlarms(this, name, {
            ...args,
            stack,
            mode,
            databaseIdentifier: database.identifier,
            sourceBucketName: primary.documentsBucketName,
            destinationBucketName: documents.bucketName,
        });

        this.primary = primary;
        this.databaseSecretArn = secretArn;
        this.databaseSecretKeyArn = secretKeyArn;
        this.databaseIdentifier = database.identifier;
        this.databaseArn = database.arn;
        this.databaseEndpoint = database.endpoint;
        this.databaseAddress = database.address;
        this.databaseKeyArn = databaseKey.arn;
        this.clientSecurityGroupId = clients.id;
        this.documentsBucketName = documents.bucketName;
        this.documentsBucketArn = documents.bucketArn;
        this.documentsKeyArn = documentsKey.arn;
        this.replicationRoleArn = role.arn;
        this.replicationRuleId = REPLICATION_RULE_ID;
        this.registerOutputs({
            databaseSecretArn: this.databaseSecretArn,
            databaseIdentifier: this.databaseIdentifier,
            databaseArn: this.databaseArn,
            databaseEndpoint: this.databaseEndpoint,
            documentsBucketName: this.documentsBucketName,
            replicationRoleArn: this.replicationRoleArn,
        });
    }
}
