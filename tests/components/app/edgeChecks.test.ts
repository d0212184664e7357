/**
 * What Route53 needs from each stack's edge (issue #11): a listener its TLS 1.2 checkers can negotiate, open only
 * to them, and one owner of the ACM validation record that prod's and dr's certificates share.
 */
import * as assert from "node:assert/strict";
import { HEALTH_CHECK_TLS_POLICY } from "../../../components/app/edge";
import { HEALTH_CHECK_PORT } from "../../../model/ports";
import { UNKNOWN } from "../../../tools/mocks";
import { ofType, planOf } from "../../support";

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

        it("prod owns the ACM validation record, without allowOverwrite; its validation waits for the record", async () => {
            const plan = await planOf("prod", mode);
            const [record] = ofType(plan, RECORD).filter((r) => r.name === "app-tls-validation");
            assert.ok(record);
            assert.equal(record.props.allowOverwrite, undefined, "taking over a record makes its other owner's destroy delete it");
            const [validation] = ofType(plan, VALIDATION);
            assert.deepEqual(validation.propertyDependencies.validationRecordFqdns, [record.urn]);
        });

        it("dr creates no validation record (ACM's CNAME is the same as prod's) and validates against its own certificate's name", async () => {
            const plan = await planOf("dr", mode);
            assert.deepEqual(
                ofType(plan, RECORD).filter((r) => r.name.includes("tls-validation")),
                [],
            );
            const [certificate] = ofType(plan, CERTIFICATE);
            const [validation] = ofType(plan, VALIDATION);
            assert.deepEqual(validation.propertyDependencies.validationRecordFqdns, [certificate.urn]);
            const [fqdn] = validation.props.validationRecordFqdns as unknown[];
            if (mode === "preview") assert.equal(fqdn, UNKNOWN);
            else {
                const [option] = certificate.props.domainValidationOptions as { resourceRecordName: string }[];
                assert.equal(fqdn, option.resourceRecordName.replace(/\.$/, ""));
            }
        });
    });
}
