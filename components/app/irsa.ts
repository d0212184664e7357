/**
 * IRSA (IAM roles for service accounts): a role only one Kubernetes service account can assume,
 * through the cluster's OIDC provider, with an inline least-privilege policy. The runtime roles of
 * the portal's workloads take their statements from the data tier's `grantRuntime`.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Statement, policyJson } from "../../model/iam";
import { APP_NAMESPACE } from "../../model/ports";
import { WORKLOAD_NAMES, WorkloadName } from "../../model/workloads";
import { DataEndpoints, RuntimeNeeds } from "../data/endpoints";
import { Cluster } from "./cluster";
import { StepScope } from "./step";

export interface IrsaRoleArgs extends StepScope {
    readonly oidc: Cluster["oidc"];
    /** Suffix of the role's resource and physical name. */
    readonly roleName: string;
    readonly namespace: string;
    readonly serviceAccount: string;
    /** The role's inline policy. */
    readonly statements: pulumi.Input<Statement[]>;
}

/** A role assumable only by `namespace/serviceAccount` with an audience of STS, and its inline policy. */
export function irsaRole(parent: pulumi.ComponentResource, name: string, args: IrsaRoleArgs): aws.iam.Role {
    const role = new aws.iam.Role(
        `${name}-irsa-${args.roleName}`,
        {
            name: `${args.stack}-irsa-${args.roleName}`,
            assumeRolePolicy: pulumi.all([args.oidc.providerArn, args.oidc.issuer]).apply(([arn, issuer]) =>
                policyJson([
                    {
                        Effect: "Allow",
                        Principal: { Federated: arn },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: {
                            StringEquals: {
                                [`${issuer}:sub`]: `system:serviceaccount:${args.namespace}:${args.serviceAccount}`,
                                [`${issuer}:aud`]: "sts.amazonaws.com",
                            },
                        },
                    },
                ]),
            ),
            tags: args.tags,
        },
        { parent },
    );
    new aws.iam.RolePolicy(`${name}-irsa-${args.roleName}`, { role: role.id, policy: pulumi.output(args.statements).apply((s) => policyJson(s)) }, { parent });
    return role;
}

/** Which AWS data each workload's runtime role may touch (beat only enqueues: no documents). */
export const NEEDS: Record<WorkloadName, RuntimeNeeds> = {
    "django-web": { documents: true },
    "fastapi-api": { documents: true },
    "celery-worker": { documents: true },
    "celery-beat": { documents: false },
};

export interface WorkloadRolesArgs extends StepScope {
    readonly oidc: Cluster["oidc"];
    readonly data: DataEndpoints;
}

/** Runtime roles step: one IRSA role per workload, bound to its service account in the portal namespace. */
export function createWorkloadRoles(parent: pulumi.ComponentResource, name: string, args: WorkloadRolesArgs): Record<WorkloadName, aws.iam.Role> {
    const { data, ...scope } = args;
    return Object.fromEntries(
        WORKLOAD_NAMES.map((w) => [
            w,
            irsaRole(parent, name, { ...scope, roleName: w, namespace: APP_NAMESPACE, serviceAccount: w, statements: data.grantRuntime(NEEDS[w]) }),
        ]),
    ) as Record<WorkloadName, aws.iam.Role>;
}
