/**
 * Shipper release step: on one cluster, the logging namespace, its NetworkPolicies and the pinned fluent-bit chart as
 * a DaemonSet (one pod per node, every node, tainted ones too), configured from model/logShipping.ts.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { FluentBitConfig, LOGGING_NAMESPACE, SHIPPER_NAME, ShipperSite, shipperNetworkPolicies } from "../../../model/logShipping";
import { CHARTS } from "../../../model/versions";

/** Where the on-prem nodes keep the Roles Anywhere helper and their certificate (installed by the site, issue #16). */
export const ROLES_ANYWHERE_HOST_DIR = "/etc/aws-rolesanywhere";
/** The AWS config file of the on-prem shipper, a file of the chart's config volume (config.extraFiles). */
export const AWS_CONFIG_FILE = "/fluent-bit/etc/conf/aws-config";

export interface ShipperReleaseArgs {
    readonly site: ShipperSite;
    readonly provider: k8s.Provider;
    readonly config: pulumi.Input<FluentBitConfig>;
    /** HTTPS destinations the NetworkPolicy admits (endpoints, the domain's subnets, the cluster API). */
    readonly httpsCidrs: readonly string[];
    /** EKS: the IRSA role the service account is annotated with. */
    readonly irsaRoleArn?: pulumi.Input<string>;
    /** On-prem: the AWS config (credential_process through aws_signing_helper). */
    readonly awsConfig?: pulumi.Input<string>;
    readonly dependsOn: readonly pulumi.Resource[];
}

export interface ShipperRelease {
    readonly release: k8s.helm.v3.Release;
}

export function createShipperRelease(parent: pulumi.ComponentResource, name: string, args: ShipperReleaseArgs): ShipperRelease {
    const on = { parent, provider: args.provider };
    const prefix = `${name}-${args.site}`;
    // hostPath volumes (the node's /var/log and journal) are what the privileged Pod Security level exists for: the
    // baseline level forbids them. The namespace holds nothing else, and is not enrolled in the mesh.
    // https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline (HostPath Volumes)
    const ns = new k8s.core.v1.Namespace(
        `${prefix}-logging-ns`,
        {
            metadata: {
                name: LOGGING_NAMESPACE,
                labels: { "pod-security.kubernetes.io/enforce": "privileged", "pod-security.kubernetes.io/warn": "baseline" },
            },
        },
        on,
    );
    const policies = shipperNetworkPolicies({ site: args.site, httpsCidrs: args.httpsCidrs }).map(
        (policy) =>
            new k8s.networking.v1.NetworkPolicy(
                `${prefix}-logging-${policy.name}`,
                { metadata: { name: policy.name, namespace: ns.metadata.name }, spec: policy.spec },
                on,
            ),
    );
    const pin = CHARTS.fluentBit;
    const rolesAnywhere =
        args.awsConfig === undefined
            ? {}
            : {
                  env: [{ name: "AWS_CONFIG_FILE", value: AWS_CONFIG_FILE }],
                  extraVolumes: [{ name: "rolesanywhere", hostPath: { path: ROLES_ANYWHERE_HOST_DIR, type: "Directory" } }],
                  extraVolumeMounts: [{ name: "rolesanywhere", mountPath: ROLES_ANYWHERE_HOST_DIR, readOnly: true }],
              };
    const release = new k8s.helm.v3.Release(
        `${prefix}-${pin.chart}`,
        {
            name: pin.chart,
            chart: pin.chart,
            version: pin.version,
            repositoryOpts: { repo: pin.repo },
            namespace: ns.metadata.name,
            atomic: true,
            cleanupOnFail: true,
            values: {
                fullnameOverride: SHIPPER_NAME,
                kind: "DaemonSet",
                // The pod network, not the node's: the logging namespace's NetworkPolicies then apply to it.
                hostNetwork: false,
                serviceAccount: {
                    create: true,
                    name: SHIPPER_NAME,
                    annotations: args.irsaRoleArn === undefined ? {} : { "eks.amazonaws.com/role-arn": args.irsaRoleArn },
                },
                rbac: { create: true },
                // Every node, tainted ones included: a node whose logs are missing is the one that is failing.
                tolerations: [{ operator: "Exists" }],
                priorityClassName: "system-node-critical",
                securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
                config: pulumi.all([args.config, args.awsConfig]).apply(([c, awsConfig]) => ({
                    inputs: c.inputs,
                    filters: c.filters,
                    outputs: c.outputs,
                    customParsers: c.customParsers,
                    ...(awsConfig === undefined ? {} : { extraFiles: { "aws-config": awsConfig } }),
                })),
                ...rolesAnywhere,
            },
        },
        { ...on, dependsOn: [...args.dependsOn, ...policies] },
    );
    return { release };
}
