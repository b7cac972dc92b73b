package io.nowmesh.mesh.serialization;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.SerializerWithStringManifest;
import io.nowmesh.actors.espnow.EspNowError;
import io.nowmesh.actors.espnow.Mac;
import io.nowmesh.mesh.gateway.Gateway;
import io.nowmesh.mesh.MeshMessage;
import io.nowmesh.mesh.Outcome;
import io.nowmesh.mesh.gateway.MeshFrame;
import io.nowmesh.mesh.routing.NodeActor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;

/**
 * Hand-written binary serializer for the hot data path: frames shared between gateways, the
 * transmit request/result pair, and the application-facing node protocol (sends, requests,
 * outcomes, delivered messages) so node refs and subscribers work from any cluster member. Fixed-order fields, MACs as 6-byte longs, payloads length-prefixed;
 * a frame costs ~35 bytes plus its payload (Jackson CBOR would spend that on field names).
 */
public final class MeshWireSerializer extends SerializerWithStringManifest {
  static final String TRANSMIT = "T";
  static final String RESULT = "R";
  static final String FRAME = "F";
  static final String SEND = "S";
  static final String REQUEST = "Q";
  static final String DELIVERED = "OD";
  static final String ANSWERED = "OA";
  static final String NOT_ACKNOWLEDGED = "ON";
  static final String NO_ROUTE = "OR";
  static final String FAILED = "OF";
  static final String FROM_NODE = "MF";
  static final String RAW = "MR";

  private final ExtendedActorSystem system;
  private volatile ActorRefResolver resolver;

  public MeshWireSerializer(ExtendedActorSystem system) {
    this.system = system;
  }

  @Override
  public int identifier() {
    return 0x4E4D_0001; // "NM" 1: unique among the system's serializers
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof Gateway.Transmit) {
      return TRANSMIT;
    } else if (o instanceof Gateway.TransmitResult) {
      return RESULT;
    } else if (o instanceof MeshFrame) {
      return FRAME;
    } else if (o instanceof NodeActor.Send) {
      return SEND;
    } else if (o instanceof NodeActor.Request) {
      return REQUEST;
    } else if (o instanceof Outcome.Delivered) {
      return DELIVERED;
    } else if (o instanceof Outcome.Answered) {
      return ANSWERED;
    } else if (o instanceof Outcome.NotAcknowledged) {
      return NOT_ACKNOWLEDGED;
    } else if (o instanceof Outcome.NoRoute) {
      return NO_ROUTE;
    } else if (o instanceof Outcome.Failed) {
      return FAILED;
    } else if (o instanceof MeshMessage.FromNode) {
      return FROM_NODE;
    } else if (o instanceof MeshMessage.Raw) {
      return RAW;
    }
    throw new IllegalArgumentException("MeshWireSerializer cannot serialize " + o.getClass().getName());
  }

  @Override
  public byte[] toBinary(Object o) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      if (o instanceof Gateway.Transmit t) {
        out.writeLong(t.node().toLong());
        out.writeLong(t.radio().toLong());
        out.writeByte(t.mode().ordinal());
        writeBytes(out, t.payload());
        out.writeUTF(resolver().toSerializationFormat(t.replyTo()));
      } else if (o instanceof Gateway.TransmitResult r) {
        out.writeByte(r.status().ordinal());
        out.writeLong(r.radio().toLong());
        out.writeInt(r.error() == null ? -1 : r.error().code());
        writeBytes(out, r.payload());
        out.writeUTF(r.detail() == null ? "" : r.detail());
      } else if (o instanceof MeshFrame f) {
        out.writeBoolean(f.fromApp());
        out.writeLong(f.publisher().toLong());
        out.writeLong(f.heardBy().toLong());
        out.writeLong(f.source().toLong());
        out.writeInt(f.rssi());
        out.writeLong(f.timestampMillis());
        writeBytes(out, f.bytes());
      } else if (o instanceof NodeActor.Send m) {
        writeBytes(out, m.payload());
        out.writeByte(m.delivery().ordinal());
        out.writeUTF(resolver().toSerializationFormat(m.replyTo()));
      } else if (o instanceof NodeActor.Request m) {
        writeBytes(out, m.payload());
        out.writeUTF(resolver().toSerializationFormat(m.replyTo()));
      } else if (o instanceof Outcome.Delivered m) {
        out.writeLong(m.via().toLong());
        out.writeBoolean(m.endToEnd());
      } else if (o instanceof Outcome.Answered m) {
        out.writeLong(m.via().toLong());
        writeBytes(out, m.payload());
      } else if (o instanceof Outcome.NotAcknowledged m) {
        out.writeUTF(m.detail());
      } else if (o instanceof Outcome.NoRoute m) {
        out.writeLong(m.node().toLong());
      } else if (o instanceof Outcome.Failed m) {
        out.writeInt(m.error().code());
        out.writeUTF(m.detail());
      } else if (o instanceof MeshMessage.FromNode m) {
        out.writeLong(m.origin().toLong());
        out.writeLong(m.messageId());
        out.writeLong(m.destination().toLong());
        writeBytes(out, m.payload());
        out.writeInt(m.rssi());
        out.writeLong(m.heardBy().toLong());
      } else if (o instanceof MeshMessage.Raw m) {
        out.writeLong(m.source().toLong());
        writeBytes(out, m.payload());
        out.writeInt(m.rssi());
        out.writeLong(m.heardBy().toLong());
      } else {
        throw new IllegalArgumentException("MeshWireSerializer cannot serialize " + o.getClass().getName());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public Object fromBinary(byte[] data, String manifest) throws NotSerializableException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      switch (manifest) {
        case TRANSMIT: {
          Mac node = Mac.ofLong(in.readLong());
          Mac radio = Mac.ofLong(in.readLong());
          Gateway.Mode mode = Gateway.Mode.values()[in.readByte()];
          byte[] payload = readBytes(in);
          ActorRef<Gateway.TransmitResult> replyTo = resolver().resolveActorRef(in.readUTF());
          return new Gateway.Transmit(node, radio, mode, payload, replyTo);
        }
        case RESULT: {
          Gateway.Status status = Gateway.Status.values()[in.readByte()];
          Mac radio = Mac.ofLong(in.readLong());
          int code = in.readInt();
          byte[] payload = readBytes(in);
          String detail = in.readUTF();
          return new Gateway.TransmitResult(status, radio, code < 0 ? null : EspNowError.fromCode(code), payload, detail);
        }
        case FRAME:
          return new MeshFrame(in.readBoolean(), Mac.ofLong(in.readLong()), Mac.ofLong(in.readLong()),
              Mac.ofLong(in.readLong()), in.readInt(), in.readLong(), readBytes(in));
        case SEND: {
          byte[] payload = readBytes(in);
          NodeActor.Delivery d = NodeActor.Delivery.values()[in.readByte()];
          return new NodeActor.Send(payload, d, resolver().resolveActorRef(in.readUTF()));
        }
        case REQUEST: {
          byte[] payload = readBytes(in);
          return new NodeActor.Request(payload, resolver().resolveActorRef(in.readUTF()));
        }
        case DELIVERED:
          return new Outcome.Delivered(Mac.ofLong(in.readLong()), in.readBoolean());
        case ANSWERED:
          return new Outcome.Answered(Mac.ofLong(in.readLong()), readBytes(in));
        case NOT_ACKNOWLEDGED:
          return new Outcome.NotAcknowledged(in.readUTF());
        case NO_ROUTE:
          return new Outcome.NoRoute(Mac.ofLong(in.readLong()));
        case FAILED:
          return new Outcome.Failed(EspNowError.fromCode(in.readInt()), in.readUTF());
        case FROM_NODE:
          return new MeshMessage.FromNode(Mac.ofLong(in.readLong()), in.readLong(), Mac.ofLong(in.readLong()),
              readBytes(in), in.readInt(), Mac.ofLong(in.readLong()));
        case RAW:
          return new MeshMessage.Raw(Mac.ofLong(in.readLong()), readBytes(in), in.readInt(), Mac.ofLong(in.readLong()));
        default:
          throw new NotSerializableException("MeshWireSerializer: unknown manifest '" + manifest + "'");
      }
    } catch (IOException | RuntimeException e) {
      NotSerializableException n = new NotSerializableException("MeshWireSerializer: corrupt '" + manifest + "': " + e);
      n.initCause(e);
      throw n;
    }
  }

  private ActorRefResolver resolver() {
    ActorRefResolver r = resolver;
    if (r == null) {
      r = ActorRefResolver.get(Adapter.toTyped(system));
      resolver = r;
    }
    return r;
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    if (b == null) {
      out.writeShort(-1);
    } else {
      out.writeShort(b.length);
      out.write(b);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readShort();
    if (n < 0) {
      return null;
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }
}
