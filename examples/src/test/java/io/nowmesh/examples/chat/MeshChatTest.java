package io.nowmesh.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.TestProbe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class MeshChatTest {

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void roomLinesReachMembersOnTheOtherGatewayOnceAndWhispersOnlyTheirTarget() throws Exception {
    try (MeshChat chat = new MeshChat()) {
      chat.say("alice", "hi all");
      chat.whisper("carol", "alice", "lunch?");
      TestProbe<Object> probe = TestProbe.create(chat.system());
      probe.awaitAssert(Duration.ofSeconds(30), () -> {
        List<String> screen = chat.screen();
        assertEquals(List.of("bob: alice> hi all", "carol: alice> hi all"),
            screen.stream().filter(l -> l.contains("hi all")).sorted().toList());
        assertEquals(List.of("alice: (private) carol> lunch?"),
            screen.stream().filter(l -> l.contains("lunch")).toList());
        return null;
      });
      assertEquals(3, chat.screen().size(), chat.screen().toString()); // nothing twice, nothing stray
    }
  }
}
