package io.nowmesh.benchmarks.cluster;

import io.nowmesh.mesh.envelope.DecodeResult;
import io.nowmesh.mesh.envelope.EnvelopeCodec;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The baseline people build today: a gateway publishes every frame its radio hears to an MQTT broker
 * (QoS 0, the cheapest MQTT offers, matching the mesh's at-most-once broadcast delivery) and the other
 * gateways subscribe. Eclipse Paho, one async client per gateway, on 127.0.0.1 only.
 */
final class MqttGateway {
  static final String TOPIC = "nowmesh/bench/broadcast";
  private final MqttAsyncClient client;
  private final LatencyRecorder recorder;

  MqttGateway(int port, String id, LatencyRecorder recorder) throws MqttException {
    if (port <= 0) {
      throw new IllegalArgumentException("--mqtt-port is required in mqtt mode");
    }
    this.recorder = recorder;
    client = new MqttAsyncClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    o.setMaxInflight(65_535);
    o.setAutomaticReconnect(false);
    client.connect(o).waitForCompletion(10_000);
  }

  void subscribe() throws MqttException {
    client.setCallback(new MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {
        GatewayProcess.say("ERROR mqtt connection lost: " + cause);
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        // decode the envelope as the mesh does before handing the payload to the application
        if (EnvelopeCodec.decode(message.getPayload()) instanceof DecodeResult.Decoded d) {
          recorder.record(Payloads.sentNanos(d.envelope().payload(), 0));
        }
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {}
    });
    client.subscribe(TOPIC, 0).waitForCompletion(10_000);
  }

  /** Publishes at QoS 0; if Paho's window is full, waits briefly and retries (nothing is dropped here). */
  void publish(byte[] frame) throws MqttException {
    while (true) {
      try {
        client.publish(TOPIC, frame, 0, false);
        return;
      } catch (MqttException e) {
        if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
          throw e;
        }
        LockSupport.parkNanos(50_000);
      }
    }
  }
}
