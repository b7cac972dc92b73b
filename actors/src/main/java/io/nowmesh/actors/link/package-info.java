/**
 * The host↔radio wire protocol of docs/protocol.md and the byte pipes it runs over.
 *
 * <pre>
 *   Transport (SerialTransport | InMemoryTransport)      bytes
 *        │  FrameDecoder.feed(...)      ▲ Frame.toWire()
 *        ▼                              │
 *   Frame(ver, type, seq, payload)                       COBS + CRC-32C + 0x00
 *        │  MessageCodec.decode(frame)  ▲ MessageCodec.encode(seq, command | event) / encode(reply)
 *        ▼                              │
 *   Message = Command | Reply | Event                    immutable records
 * </pre>
 *
 * <ul>
 *   <li>{@link io.nowmesh.actors.link.Command}: one record per command (Hello, Ping, Reset, Init,
 *       Deinit, ConfigGet, ConfigSet, SetPmk, AddPeer, DelPeer, ModPeer, GetPeer, GetPeers, PeerCount,
 *       Send, Stats, PeersTable), each knowing its {@link io.nowmesh.actors.link.CommandType}.</li>
 *   <li>{@link io.nowmesh.actors.link.Reply}: seq, command code, status
 *       ({@link io.nowmesh.actors.espnow.EspNowError}), detail, and a typed
 *       {@link io.nowmesh.actors.link.ReplyBody} ({@code Reply.resultType(type)} says which).</li>
 *   <li>{@link io.nowmesh.actors.link.Event}: Boot, Recv, SendDone, Log, Overflow. The event counter
 *       is the frame's seq.</li>
 * </ul>
 * Payload bytes are {@link io.nowmesh.actors.link.Bytes} (immutable, value equality); keys are
 * {@link io.nowmesh.actors.espnow.Key} (redacted in every toString). Decoding failures are
 * {@link io.nowmesh.actors.espnow.EspNowException}s whose error is the status a radio answers with.
 */
package io.nowmesh.actors.link;
