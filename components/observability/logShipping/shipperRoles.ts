/**
 * Shipper roles step: the AWS identity of Fluent Bit on each cluster, with the same least-privilege policy
 * (model/logShipping.ts shipperStatements): IRSA on EKS, IAM Roles Anywhere on-prem.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ClusterAccess } from "../../app/appCluster";
import { irsaRole } from "../../app/irsa";
import { policyJson, trust } from "../../../model/iam";
import { LOGGING_NAMESPACE, SHIPPER_NAME, ShipperSite, shipperStatements } from "../../../model/logShipping";
import { SiteLogGroups } from "./logGroups";

/** The on-prem cluster's way to AWS credentials (issue #13 part C creates the trust anchor and the profile). */
export interface OnPremIdentity {
    /** IAM Roles Anywhere trust anchor (the site's CA): the only anchor whose certificates may assume the role. */
    readonly trustAnchorArn: pulumi.Input<string>;
    /** IAM Roles Anywhere profile that lists the role. */
    readonly profileArn: pulumi.Input<string>;
}

export interface ShipperRolesArgs {
    readonly stack: string;
    readonly clusters: ClusterAccess;
    readonly groups: Partial<Record<ShipperSite, SiteLogGroups>>;
    readonly domainArn?: pulumi.Input<string>;
    readonly onPremIdentity?: OnPremIdentity;
}

const statementsFor = (groups: SiteLogGroups, domainArn: pulumi.Input<string> | undefined) =>
    pulumi
        .all([pulumi.all(Object.values(groups).map((g) => g.arn)), pulumi.output(domainArn)])
        .apply(([arns, domain]) => shipperStatements(arns, domain ?? undefined));

/**
 * Trust of the on-prem role: only IAM Roles Anywhere, only for certificates of this trust anchor. The three actions
 * are the ones Roles Anywhere requires.
 * @see https://docs.aws.amazon.com/rolesanywhere/latest/userguide/trust-model.html#role-trusts
 */
export const rolesAnywhereTrust = (trustAnchorArn: string) =>
    policyJson([
        trust({ Service: "rolesanywhere.amazonaws.com" }, ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"], {
            ArnEquals: { "aws:SourceArn": trustAnchorArn },
        }),
    ]);

export function createShipperRoles(parent: pulumi.ComponentResource, name: string, args: ShipperRolesArgs): Partial<Record<ShipperSite, aws.iam.Role>> {
    const roles: Partial<Record<ShipperSite, aws.iam.Role>> = {};
    if (args.groups.eks) {
        roles.eks = irsaRole(parent, name, {
            stack: args.stack,
            oidc: args.clusters.eks.oidc,
            roleName: "log-shipper",
            namespace: LOGGING_NAMESPACE,
            serviceAccount: SHIPPER_NAME,
            statements: statementsFor(args.groups.eks, args.domainArn),
        });
    }
    if (args.groups.onprem && args.onPremIdentity) {
        const role = new aws.iam.Role(
            `${name}-onprem-shipper`,
            {
                name: `${args.stack}-onprem-log-shipper`,
                description: "Fluent Bit on the on-prem cluster, through IAM Roles Anywhere",
                assumeRolePolicy: pulumi.output(args.onPremIdentity.trustAnchorArn).apply(rolesAnywhereTrust),
                maxSessionDuration: 3600,
            },
            { parent },
        );
        new aws.iam.RolePolicy(
            `${name}-onprem-shipper`,
            { role: role.id, policy: statementsFor(args.groups.onprem, args.domainArn).apply((s) => policyJson(s)) },
            { parent },
        );
        roles.onprem = role;
    }
    return roles;
}
