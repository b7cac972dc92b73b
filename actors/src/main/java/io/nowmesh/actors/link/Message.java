package io.nowmesh.actors.link;

/**
 * A decoded protocol message: a {@link Command} (host → radio), a {@link Reply} (radio → host,
 * carries the seq of its command) or an {@link Event} (radio → host, unprompted). Commands and
 * events do not carry their seq: it belongs to the {@link Frame} ({@link MessageCodec} takes it as
 * an argument when encoding and the caller reads it from the frame when decoding).
 */
public sealed interface Message permits Command, Reply, Event {}
