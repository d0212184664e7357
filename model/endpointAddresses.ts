/**
 * Where the interface VPC endpoints' network interfaces live: a small block of each private subnet,
 * reserved (an explicit subnet CIDR reservation: EC2 never hands its addresses to anything else, so no
 * node or pod gets one) and given to the endpoints one fixed address each. The pods' NetworkPolicy then
 * admits HTTPS to exactly these blocks while the rest of the private ranges stays closed: with private
 * DNS, sts/secretsmanager/kms/logs resolve to these addresses, so an egress rule of "0.0.0.0/0 except
 * 10.0.0.0/8" broke IRSA and every AWS API call from the pods. Pure.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/subnet-cidr-reservation.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSubnetCidrReservation.html (explicit: "You assign the reserved IP addresses")
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SubnetConfiguration.html (an endpoint's IPv4 address per subnet)
 */
import { formatCidr, mustParseCidr } from "./cidr";

/** A /28: 16 addresses per subnet, room for every interface endpoint (model/network.ts INTERFACE_ENDPOINTS). */
export const ENDPOINT_BLOCK_PREFIX = 28;
/** The block starts 16 addresses in: past AWS's four reserved first addresses, and far from the last (broadcast). */
const OFFSET = 16;
const BLOCK_SIZE = 2 ** (32 - ENDPOINT_BLOCK_PREFIX);

/** The reserved block of one private subnet, e.g. 10.10.0.16/28 of 10.10.0.0/19. Throws for a subnet too small to hold it. */
export function endpointBlock(subnetCidr: string): string {
    const subnet = mustParseCidr(subnetCidr);
    if (subnet.prefix > 26) throw new Error(`subnet ${subnetCidr} is too small for a /${ENDPOINT_BLOCK_PREFIX} endpoint block (at most /26)`);
    return formatCidr({ base: subnet.base + OFFSET, prefix: ENDPOINT_BLOCK_PREFIX });
}

/** The fixed address of the index-th interface endpoint in a subnet's block. */
export function endpointAddress(subnetCidr: string, index: number): string {
    if (!Number.isInteger(index) || index < 0 || index >= BLOCK_SIZE) throw new Error(`endpoint index ${index} outside the /${ENDPOINT_BLOCK_PREFIX} block`);
    const block = mustParseCidr(endpointBlock(subnetCidr));
    return formatCidr({ base: block.base + index, prefix: 32 }).replace(/\/32$/, "");
}
