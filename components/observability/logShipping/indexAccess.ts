/**
 * Index access step: maps the shippers' IAM roles to the log writer role of the domain's fine-grained access control
 * and sets the indices' retention (model/logSearchAccess.ts). Without the mapping, every signed _bulk of Fluent Bit is
 * refused with 403 by the security plugin although IAM allows it: FGAC decides inside the domain.
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html#fgac-mapping
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { INDEX_ACCESS_SCRIPT, indexAccessEnvironment } from "../../../model/logSearchAccess";

export interface IndexAccessArgs {
    readonly region: string;
    /** The domain's VPC endpoint (host name): reachable from the deploy runner inside the VPC only. */
    readonly endpoint: pulumi.Input<string>;
    /** The domain's FGAC master user role, which the deploy runner may assume (components/observability/logSearch.ts). */
    readonly masterRoleArn: pulumi.Input<string>;
    readonly shipperRoleArns: pulumi.Input<string>[];
    readonly indexPrefix: string;
    readonly retentionDays: number;
    /** The domain and the shippers' roles: the script runs once they exist. */
    readonly dependsOn: pulumi.Resource[];
}

export function createIndexAccess(parent: pulumi.ComponentResource, name: string, args: IndexAccessArgs): command.local.Command {
    const environment = pulumi.all([args.endpoint, args.masterRoleArn, pulumi.all(args.shipperRoleArns)]).apply(([endpoint, master, roles]) => ({
        DOMAIN_ENDPOINT: endpoint,
        REGION: args.region,
        MASTER_ROLE_ARN: master,
        ...indexAccessEnvironment({ indexPrefix: args.indexPrefix, shipperRoleArns: roles, retentionDays: args.retentionDays }),
    }));
    return new command.local.Command(
        `${name}-index-access`,
        {
            interpreter: ["/bin/bash", "-c"],
            create: INDEX_ACCESS_SCRIPT,
            // Re-run when anything it sends changes (a new shipper role, another prefix or retention).
            triggers: [environment],
            environment,
        },
        { parent, dependsOn: args.dependsOn },
    );
}
