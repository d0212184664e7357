/**
 * What Route53 needs from each stack's edge (issue #11): a listener its TLS 1.2 checkers can negotiate, open only
 * to them, and no ACM validation record: the bootstrap stack owns the one prod's and dr's certificates share.
 */
import * as assert from "node:assert/strict";
import { HEALTH_CHECK_TLS_POLICY } from "../../../components/app/edge";
import { HEALTH_CHECK_PORT } from "../../../model/ports";
import { UNKNOWN } from "../../../tools/mocks";
import { BOOTSTRAP_OUTPUTS, ofType, one, planOf } from "../../support";

const RECORD = "aws:route53/record:Record";
const VALIDATION = "aws:acm/certificateValidation:CertificateValidation";
const CERTIFICATE = "aws:acm/certificate:Certificate";

for (const mode of ["update", "preview"] as const) {
    describe(`edge and Route53 (${mode})`, () => {
        for (const stack of ["prod", "dr"] as const) {
            it(`${stack}: serves Route53's checkers on ${HEALTH_CHECK_PORT} with TLS 1.2 (they lack 1.3), from their prefix list only`, async () => {
                const plan = await planOf(stack, mode);
                const listeners = ofType(plan, "aws:lb/listener:Listener");
                const citizen = listeners.find((l) => l.props.port === 443)!;
                assert.equal(citizen.props.sslPolicy, "ELBSecurityPolicy-TLS13-1-3-2021-06", "citizens keep TLS 1.3 only (seed 4.2)");
                const health = listeners.find((l) => l.props.port === HEALTH_CHECK_PORT)!;
                assert.deepEqual([health.props.protocol, health.props.sslPolicy], ["HTTPS", HEALTH_CHECK_TLS_POLICY]);
                assert.deepEqual(health.propertyDependencies.certificateArn, citizen.propertyDependencies.certificateArn, "the same certificate");
                const ingress = ofType(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.props.fromPort === HEALTH_CHECK_PORT);
                assert.equal(ingress.length, 1);
                assert.equal(ingress[0].props.cidrIpv4, undefined, "no CIDR: the checkers' AWS-managed prefix list only");
                assert.match(String(ingress[0].props.prefixListId), /^pl-[0-9a-f]+$/);
            });
        }

        for (const stack of ["prod", "dr"] as const) {
            it(`${stack} creates no ACM validation record: its certificate validates against the bootstrap stack's, through the StackReference`, async () => {
                const plan = await planOf(stack, mode);
                assert.deepEqual(
                    ofType(plan, RECORD).filter((r) => r.props.type === "CNAME" || r.name.includes("tls-validation")),
                    [],
                );
                const reference = one(plan, "pulumi:pulumi:StackReference", "bootstrap");
                const [certificate] = ofType(plan, CERTIFICATE);
                const [validation] = ofType(plan, VALIDATION);
                assert.deepEqual(validation.propertyDependencies.validationRecordFqdns, [reference.urn]);
                assert.deepEqual(validation.propertyDependencies.certificateArn, [certificate.urn]);
                // StackReference outputs are read at preview too: the FQDN is known in both modes.
                const fqdn = BOOTSTRAP_OUTPUTS.certificateValidationRecordFqdns["portal.citizen-portal.example.gov.uk"];
                assert.deepEqual(validation.props.validationRecordFqdns, [fqdn]);
                if (mode === "preview") assert.equal(certificate.props.domainValidationOptions, UNKNOWN);
                else {
                    // What the provider checks before waiting: the FQDN is the certificate's own record name (one per name and account).
                    const [option] = certificate.props.domainValidationOptions as { resourceRecordName: string }[];
                    assert.equal(option.resourceRecordName.replace(/\.$/, ""), fqdn);
                }
            });
        }
    });
}
