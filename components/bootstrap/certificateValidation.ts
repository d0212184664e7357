/**
 * The ACM DNS validation record of the public hostname, owned once per account by the bootstrap stack
 * (finding 16). ACM gives every certificate for one domain name in one account the same CNAME, in every
 * region ("created specifically for your domain and your account"; "the CNAME validation token works for
 * any AWS Region"), and renews a DNS-validated certificate only "as long as the certificate is in use and
 * your CNAME record remains in place". Owned by prod (or dr), the record would go with that stack's destroy
 * and the other stack's certificate would stop renewing; the bootstrap stack outlives both.
 *
 * To learn the record's name and value the step requests a certificate for the hostname here (ACM reveals
 * the CNAME only through a certificate's domain validation options) and waits for it to be issued, so a
 * record that does not validate (a zone that is not the hostname's public, delegated one) fails the
 * bootstrap, before prod or dr wait for it. prod's and dr's own certificates validate against the record's
 * FQDN (bootstrap output `certificateValidationRecordFqdns`) and create none.
 * The anchor and prod's certificate are distinct certificates even in the same region: the provider sends a fresh
 * IdempotencyToken with each RequestCertificate (terraform-provider-aws internal/service/acm/certificate.go; ACM
 * merges requests only under one token within an hour, hashicorp/terraform-provider-aws#7760).
 * The anchor certificate itself is attached to nothing, so ACM lets it expire unrenewed (only certificates
 * in use are eligible): harmless, since the record keeps validating every later certificate for the name
 * ("you can request additional ACM certificates for your FQDN for as long as the CNAME record remains").
 * @see https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
 * @see https://docs.aws.amazon.com/acm/latest/userguide/dns-renewal-validation.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ValidationRecordArgs {
    /** The public hostname (prod's and dr's certificates' domain name). */
    readonly hostname: string;
    /** The public Route53 hosted zone holding it (looked up, never created: its delegation is the site's). */
    readonly zoneName: string;
    readonly tags?: Record<string, string>;
}

export interface ValidationRecord {
    /** Hostname -> FQDN of its validation CNAME (no trailing dot), once ACM has validated against it. */
    readonly recordFqdns: pulumi.Output<Record<string, string>>;
}

export function createValidationRecord(parent: pulumi.ComponentResource, name: string, args: ValidationRecordArgs): ValidationRecord {
    const child = { parent };
    const certificate = new aws.acm.Certificate(
        `${name}-validation-anchor`,
        {
            domainName: args.hostname,
            validationMethod: "DNS",
            // The same key algorithm and CT preference as prod's and dr's certificates (components/app/certificate.ts).
            keyAlgorithm: "EC_prime256v1",
            options: { certificateTransparencyLoggingPreference: "ENABLED" },
            tags: args.tags,
        },
        child,
    );
    const option = certificate.domainValidationOptions[0];
    const record = new aws.route53.Record(
        `${name}-tls-validation`,
        {
            zoneId: aws.route53.getZoneOutput({ name: args.zoneName, privateZone: false }, child).zoneId,
            name: option.resourceRecordName,
            type: option.resourceRecordType,
            records: [option.resourceRecordValue],
            ttl: 300,
            // Never allowOverwrite: a record already there has another owner, whose destroy would delete ours
            // (policy acm-validation-record-single-owner).
        },
        child,
    );
    const validation = new aws.acm.CertificateValidation(
        `${name}-validation-anchor`,
        { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
        child,
    );
    return {
        // Through the validation: prod and dr read an FQDN ACM has already validated against.
        recordFqdns: pulumi.all([validation.certificateArn, record.fqdn]).apply(([, fqdn]) => ({ [args.hostname]: fqdn })),
    };
}
