/**
 * issue #13: the on-prem collector's credentials. The IAM Roles Anywhere credential helper runs beside the collector in
 * `serve` mode: it exchanges the site-issued certificate for role sessions (CreateSession) and answers the AWS SDKs'
 * IMDSv2 credential requests on localhost, so the collector's sigv4auth extension and awsxray exporter sign with the
 * role's temporary credentials through their default chain; the private key never leaves the pod's Secret volume.
 * @see https://docs.aws.amazon.com/rolesanywhere/latest/userguide/credential-helper.html (serve: "a local endpoint compatible with IMDSv2")
 */
import * as pulumi from "@pulumi/pulumi";
import { RESTRICTED_CONTAINER_SECURITY } from "../../../model/workloads";

/** Where `aws_signing_helper serve` listens (its default port) on the pod's loopback. */
export const SIGNING_HELPER_PORT = 9911;
const CERT_DIR = "/etc/roles-anywhere";

export interface SigningHelperArgs {
    readonly region: string;
    readonly signingHelperImage: string;
    readonly clientCertificateSecretName: string;
    readonly trustAnchorArn: pulumi.Input<string>;
    readonly profileArn: pulumi.Input<string>;
    readonly roleArn: pulumi.Input<string>;
}

export function signingHelperSidecar(args: SigningHelperArgs) {
    const container = pulumi.all([args.trustAnchorArn, args.profileArn, args.roleArn]).apply(([anchor, profile, role]) => ({
        name: "roles-anywhere",
        image: args.signingHelperImage,
        args: [
            "serve",
            "--certificate",
            `${CERT_DIR}/tls.crt`,
            "--private-key",
            `${CERT_DIR}/tls.key`,
            "--trust-anchor-arn",
            anchor,
            "--profile-arn",
            profile,
            "--role-arn",
            role,
            "--region",
            args.region,
            "--port",
            String(SIGNING_HELPER_PORT),
        ],
        volumeMounts: [{ name: "roles-anywhere-certificate", mountPath: CERT_DIR, readOnly: true }],
        resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
        securityContext: RESTRICTED_CONTAINER_SECURITY,
    }));
    return {
        containers: [container],
        volumes: [{ name: "roles-anywhere-certificate", secret: { secretName: args.clientCertificateSecretName, defaultMode: 0o440 } }],
        env: [
            // The SDKs' IMDS client, pointed at the helper; the region for the signing, explicit (no IMDS to ask on-prem).
            { name: "AWS_EC2_METADATA_SERVICE_ENDPOINT", value: `http://127.0.0.1:${SIGNING_HELPER_PORT}/` },
            { name: "AWS_REGION", value: args.region },
        ],
    };
}
