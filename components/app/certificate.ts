/**
 * An ACM certificate for the public hostname, validated by DNS: issued and renewed by ACM with nothing to
 * store or rotate by hand. The validation record is not this stack's: ACM answers every certificate for one
 * name in one account with the same CNAME, in every region, so the account's bootstrap stack owns it
 * (components/bootstrap/certificateValidation.ts) and prod's and dr's certificates only wait for ACM to
 * validate against it. Owned here, it would go with this stack's destroy, and the other stack's certificate
 * could no longer renew (finding 16).
 * @see https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
 * @see https://docs.aws.amazon.com/acm/latest/userguide/dns-renewal-validation.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface CertificateArgs {
    readonly hostname: string;
    readonly tags?: Record<string, string>;
    /**
     * FQDN (no trailing dot) of the hostname's validation CNAME, from the bootstrap stack (`certificateValidationRecordFqdns`).
     * The certificate validation checks it is the certificate's own record name: a bootstrap stack of another account
     * or hostname fails the deploy, and ACM renews the certificate only while that record stays in DNS.
     * @see https://github.com/hashicorp/terraform-provider-aws/issues/13653 (the same CNAME for the same name in another region)
     */
    readonly validationRecordFqdn: pulumi.Input<string>;
}

/** The certificate's ARN once validation has completed, so the listener never serves an unvalidated certificate. */
export function issueCertificate(parent: pulumi.ComponentResource, name: string, args: CertificateArgs): pulumi.Output<string> {
    const child = { parent };
    const certificate = new aws.acm.Certificate(
        `${name}-tls`,
        {
            domainName: args.hostname,
            validationMethod: "DNS",
            keyAlgorithm: "EC_prime256v1",
            options: { certificateTransparencyLoggingPreference: "ENABLED" },
            tags: args.tags,
        },
        child,
    );
    return new aws.acm.CertificateValidation(`${name}-tls`, { certificateArn: certificate.arn, validationRecordFqdns: [args.validationRecordFqdn] }, child)
        .certificateArn;
}
