/**
 * An ACM certificate for the public hostname, validated by DNS records in the public zone: issued
 * and renewed by ACM with nothing to store or rotate by hand.
 * @see https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface CertificateArgs {
    readonly hostname: string;
    /** Public Route53 zone holding the hostname. */
    readonly zoneName: string;
    readonly tags?: Record<string, string>;
    /**
     * Whether this stack creates the validation record. ACM answers every certificate for the same name in one
     * account with the same CNAME, whatever the region (prod's and dr's certificates share it), so one stack owns
     * the record and the other only waits for ACM to see it. Two owners, each with `allowOverwrite`, would each
     * delete it on destroy, and the survivor's certificate could no longer renew.
     * @default true
     * @see https://github.com/hashicorp/terraform-provider-aws/issues/13653 (same CNAME for the same name in another region)
     * @see https://github.com/aws-quickstart/quickstart-aws-acm-certificate/issues/5 (keep the record while a certificate elsewhere uses it)
     */
    readonly ownsValidationRecord?: boolean;
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
    const record = certificate.domainValidationOptions[0];
    const validationRecordFqdns =
        args.ownsValidationRecord === false
            ? // The owner's record (the same name and value): ACM validates and renews against it once it is in the zone.
              [record.resourceRecordName.apply((n) => n.replace(/\.$/, ""))]
            : [
                  new aws.route53.Record(
                      `${name}-tls-validation`,
                      {
                          zoneId: aws.route53.getZoneOutput({ name: args.zoneName, privateZone: false }, child).zoneId,
                          name: record.resourceRecordName,
                          type: record.resourceRecordType,
                          records: [record.resourceRecordValue],
                          ttl: 300,
                          // No allowOverwrite: a record already there belongs to someone else, and taking it over would make
                          // its owner's destroy delete ours.
                      },
                      child,
                  ).fqdn,
              ];
    return new aws.acm.CertificateValidation(`${name}-tls`, { certificateArn: certificate.arn, validationRecordFqdns }, child).certificateArn;
}
