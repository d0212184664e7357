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
}

/** The certificate's ARN once validation has completed, so the listener never serves an unvalidated certificate. */
export function issueCertificate(parent: pulumi.ComponentResource, name: string, args: CertificateArgs): pulumi.Output<string> {
    const child = { parent };
    const zone = aws.route53.getZoneOutput({ name: args.zoneName, privateZone: false }, child);
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
    const validation = new aws.route53.Record(
        `${name}-tls-validation`,
        {
            zoneId: zone.zoneId,
            name: record.resourceRecordName,
            type: record.resourceRecordType,
            records: [record.resourceRecordValue],
            ttl: 300,
            allowOverwrite: true,
        },
        child,
    );
    return new aws.acm.CertificateValidation(`${name}-tls`, { certificateArn: certificate.arn, validationRecordFqdns: [validation.fqdn] }, child)
        .certificateArn;
}
