/**
 * issue #13: the on-prem cluster's AWS identity (IAM Roles Anywhere). The site CA is the trust anchor; a profile hands out
 * sessions of the roles listed on it; each role trusts rolesanywhere.amazonaws.com only for this trust anchor
 * (aws:SourceArn) and only for a certificate whose subject CN is the one named (aws:PrincipalTag/x509Subject/CN, the
 * session tag Roles Anywhere maps from the certificate). Part D's log shipper takes `{ trustAnchorArn, profileArn }` and
 * makes its own role with `rolesAnywhereRole`.
 * @see https://docs.aws.amazon.com/rolesanywhere/latest/userguide/trust-model.html (sts:AssumeRole, sts:SetSourceIdentity, sts:TagSession)
 * @see https://docs.aws.amazon.com/rolesanywhere/latest/userguide/attribute-mapping-and-trust-policy.html (x509Subject/CN, aws:SourceArn)
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Statement, policyJson, trust } from "../../../model/iam";

/** What a role for an on-prem workload needs: the anchor its certificate chains to and the profile that vends its sessions. */
export interface OnPremIdentity {
    readonly trustAnchorArn: pulumi.Output<string>;
    readonly profileArn: pulumi.Output<string>;
}

/** The actions a Roles Anywhere trust must grant (the trust model page). */
export const ROLES_ANYWHERE_ACTIONS = ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"] as const;

/** The trust statement of a role only a certificate of `commonName` under `trustAnchorArn` can assume. Pure. */
export function rolesAnywhereTrust(trustAnchorArn: string, commonName: string): Statement {
    return trust({ Service: "rolesanywhere.amazonaws.com" }, [...ROLES_ANYWHERE_ACTIONS], {
        StringEquals: { "aws:PrincipalTag/x509Subject/CN": commonName },
        ArnEquals: { "aws:SourceArn": trustAnchorArn },
    });
}

export interface RolesAnywhereRoleArgs {
    readonly stack: string;
    /** Suffix of the role's resource and physical name. */
    readonly roleName: string;
    readonly trustAnchorArn: pulumi.Input<string>;
    /** Subject CN of the only certificate the role trusts. */
    readonly commonName: string;
    readonly statements: pulumi.Input<Statement[]>;
    readonly tags?: Record<string, string>;
}

/** A role for one on-prem workload's certificate, with its inline least-privilege policy. */
export function rolesAnywhereRole(parent: pulumi.Resource, name: string, args: RolesAnywhereRoleArgs): aws.iam.Role {
    const role = new aws.iam.Role(
        `${name}-ra-${args.roleName}`,
        {
            name: `${args.stack}-ra-${args.roleName}`,
            assumeRolePolicy: pulumi.output(args.trustAnchorArn).apply((arn) => policyJson([rolesAnywhereTrust(arn, args.commonName)])),
            // Roles Anywhere sessions last at most the profile's durationSeconds (1 h here); the helper renews them.
            maxSessionDuration: 3600,
            tags: args.tags,
        },
        { parent },
    );
    new aws.iam.RolePolicy(`${name}-ra-${args.roleName}`, { role: role.id, policy: pulumi.output(args.statements).apply((s) => policyJson(s)) }, { parent });
    return role;
}

export interface OnPremIdentityArgs {
    readonly stack: string;
    /** The site CA (PEM) issuing the on-prem workloads' client certificates. */
    readonly caCertificate: pulumi.Input<string>;
    /** The roles the profile vends, made once the anchor exists (their trust names it). */
    readonly roles: (trustAnchorArn: pulumi.Output<string>) => aws.iam.Role[];
    readonly tags?: Record<string, string>;
}

/** The trust anchor (the site CA bundle), the roles trusting it, and the profile vending them: 1 h sessions. */
export function createOnPremIdentity(parent: pulumi.Resource, name: string, args: OnPremIdentityArgs): OnPremIdentity & { readonly roles: aws.iam.Role[] } {
    const anchor = new aws.rolesanywhere.TrustAnchor(
        `${name}-onprem-anchor`,
        {
            name: `${args.stack}-onprem-site-ca`,
            enabled: true,
            source: { sourceType: "CERTIFICATE_BUNDLE", sourceData: { x509CertificateData: args.caCertificate } },
            tags: args.tags,
        },
        { parent },
    );
    const roles = args.roles(anchor.arn);
    const profile = new aws.rolesanywhere.Profile(
        `${name}-onprem-profile`,
        { name: `${args.stack}-onprem-telemetry`, enabled: true, durationSeconds: 3600, roleArns: roles.map((r) => r.arn), tags: args.tags },
        { parent },
    );
    return { trustAnchorArn: anchor.arn, profileArn: profile.arn, roles };
}
