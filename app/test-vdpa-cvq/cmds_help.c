/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The text of "help": the commands by section, as the guide lists them.
 */

#include <string.h>

#include "cmds_ctx.h"
#include "cmds_help.h"

static const char help_show[] =
	"Display:\n"
	"  show device            the device (in this process) and the frontend:\n"
	"                         features, queues, control queue, layout\n"
	"  show groups            virtqueue groups, address spaces, vq -> group\n"
	"  show config            virtio_net_config read with GET_CONFIG\n"
	"  show state             the device model: rx modes, MACs, VLANs, pairs,\n"
	"                         RSS, offloads, coalescing\n"
	"  show stats             frontend per-queue counters, frame checks, and\n"
	"                         the device's per-vq stats (in this process)\n"
	"  show features          offered / accepted by the frontend / negotiated\n"
	"  show shadow            the shadow's copy of the device state\n"
	"                         (--shadow-cvq) against the device's own\n"
	"  show port              the port of a port-backed device (port=): its\n"
	"                         modes, MACs, RETA, counters, each command's path\n"
	"  clear stats            zero every counter above\n";

static const char help_ctrl[] =
	"Control queue (each prints the ack, OK or ERR, and any result):\n"
	"  ctrl rx promisc|allmulti|alluni|nomulti|nouni|nobcast on|off\n"
	"  ctrl mac addr MAC\n"
	"  ctrl mac table [uc MAC,MAC,...|gen N|-] [mc MAC,...|gen N|-]\n"
	"  ctrl vlan add|del VID\n"
	"  ctrl mq pairs N\n"
	"  ctrl rss [types LIST] [key default|none|HEX] [table Q,Q,...]\n"
	"           [tablelen N] [unclassified Q] [pairs N] [pad]\n"
	"      LIST: ipv4,tcpv4,udpv4,ipv6,tcpv6,udpv6,ip_ex,tcp_ex,udp_ex,\n"
	"      none or a mask; defaults: the six non-EX types, the spec's\n"
	"      example key, table i%pairs (128 entries), pairs = highest queue+1\n"
	"  ctrl hash types LIST [key default|none|HEX] [pad]   (HASH_CONFIG)\n"
	"  ctrl hash tunnel gre_2784,...,vxlan,geneve,ipip,nvgre|none|MASK\n"
	"  ctrl offloads guest_csum,guest_tso4,...|none|MASK\n"
	"  ctrl coal tx|rx usecs U pkts P\n"
	"  ctrl coal vq VQ usecs U pkts P\n"
	"  ctrl coal vq VQ get\n"
	"  ctrl announce ack\n"
	"  ctrl stats query\n"
	"  ctrl stats get all | vq VQ types rx_basic,...,cvq [vq ...] [buf BYTES]\n"
	"  ctrl raw CLASS CMD [HEXDATA] [result BYTES]   any bytes\n"
	"  set ctrl layout split|one|bytes|indirect      descriptor layout\n";

static const char help_traffic[] =
	"Traffic:\n"
	"  send [queue Q] [count N] [dst MAC|bcast|mcast] [src MAC] [vlan ID]\n"
	"       [ipv4|ipv6 [SRC DST]] [udp|tcp [SPORT DPORT]] [len L]\n"
	"       [sport-range N] [dport-range N]\n"
	"      defaults: queue 0, 1 frame to the device's MAC, IPv4 UDP\n"
	"      10.0.0.1:1024 -> 10.0.0.2:1024, 64 bytes of payload\n"
	"  recv [timeout MS]      drain every RX queue (per-queue counts), check\n"
	"                         steering, hash report and payload of each frame;\n"
	"                         waits until the device completed every frame\n"
	"                         sent and the queues stay quiet (default 3000 ms);\n"
	"                         says what the device dropped since the last\n"
	"                         recv and why (device in this process)\n";

static const char help_device[] =
	"Device and connection:\n"
	"  device announce        raise VIRTIO_NET_S_ANNOUNCE (device in process)\n"
	"  device stop            disable the vrings, read their GET_VRING_BASE\n"
	"  device reconnect       new connection, rings resumed at those indices\n"
	"  port link up|down      the port of a port-backed device: its link\n"
	"  device shadow on|off   VM case (--shadow-cvq relay) or DPDK case from\n"
	"                         the next connection\n"
	"  migrate save FILE      the device's state (virtio 1.4 device parts)\n"
	"  migrate restore FILE   load it now, or when a frontend negotiates\n"
	"  migrate check          parts and control-command replay give the same\n"
	"                         state byte for byte (device in process)\n"
	"  migrate stop           the frontend stops the device (indices kept)\n"
	"  migrate resume SOCKET  the frontend resumes on another backend\n";

static const char help_expect[] =
	"Script assertions (in a file, a failure stops the run, exit status 1):\n"
	"  expect ack ok|err      ack of the last control command\n"
	"  expect rx COUNT [on queue Q]   frames of the last recv\n"
	"  expect stat NAME ==|!=|<|<=|>|>= VALUE, NAME among\n"
	"      fe.FIELD fe.qN.FIELD (tx_pkts tx_done rx_pkts rx_bytes rx_bufs\n"
	"        rx_merged rx_bad_hdr rx_hash_reported ...), fe.reconnects\n"
	"      ctrl.sent|ok|err, ctrl.RESULT (used_len supported_stats_types\n"
	"        max_usecs max_packets records vqN.COUNTER)\n"
	"      rx.total rx.qN, rx.sent rx.dropped rx.drop_filter\n"
	"        rx.drop_no_buffer rx.drop_inactive rx.missing (last recv),\n"
	"      rx.frames rx.steer_ok rx.steer_bad rx.hash_ok\n"
	"        rx.hash_bad rx.hash_none rx.bad_payload rx.vlan_tagged,\n"
	"        rx.qN.hash_value|hash_report|flags|num_buffers|len|vlan\n"
	"      dev.vqN.STAT dev.rx|tx|cvq.STAT (chains packets bytes drops\n"
	"        errors kicks notifies notifies_suppressed)\n"
	"      port.promisc port.allmulti port.macs port.mac.XX-XX-XX-XX-XX-XX\n"
	"        port.vlan_filter port.reta_size port.reta.N port.link_up\n"
	"        port.rx_frames|rx_dropped|tx_frames|tx_dropped|link_changes\n"
	"        port.path.CLASS.CMD (0 never, 1 software, 3 both)\n"
	"  expect state FIELD VALUE, FIELD among promisc allmulti alluni nomulti\n"
	"      nouni nobcast rss (on|off), mac, pairs, max_pairs, uc_count,\n"
	"      mc_count, vlan ID, uc MAC, mc MAC, hash_types, tunnel_types,\n"
	"      offloads, table_len, table I, unclassified, key_len,\n"
	"      coal tx|rx|vqN usecs|pkts, and from a fresh GET_CONFIG: config\n"
	"      mac|link|announce|status|max_pairs|mtu|rss_max_key_size|\n"
	"      rss_max_table_len|hash_types|tunnel_types\n"
	"  try COMMAND            run COMMAND; its error does not stop the run\n"
	"  expect error TEXT      the error of the last try contains TEXT\n";

static const char help_misc[] =
	"Other:\n"
	"  echo TEXT              print TEXT (script narration)\n"
	"  sleep MS               wait\n"
	"  help [all|show|ctrl|traffic|device|expect]\n"
	"  quit                   leave (the rest of a file is skipped)\n";

void
cmds_help(const char *section)
{
	bool all = strcmp(section, "all") == 0;

	if (all || strcmp(section, "show") == 0)
		cmds_out("%s", help_show);
	if (all || strcmp(section, "ctrl") == 0)
		cmds_out("%s", help_ctrl);
	if (all || strcmp(section, "traffic") == 0)
		cmds_out("%s", help_traffic);
	if (all || strcmp(section, "device") == 0)
		cmds_out("%s", help_device);
	if (all || strcmp(section, "expect") == 0)
		cmds_out("%s", help_expect);
	if (all)
		cmds_out("%s", help_misc);
}
