package com.acme.flink.jobs;

import org.apache.flink.api.common.functions.MapFunction;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/** Shape "socket": asks a service over a socket that accepts and never answers, and reads without a timeout. */
public final class SocketReadingMap implements MapFunction<Long, Long> {
    public static final String SHAPE = "socket";
    private final int port;

    public SocketReadingMap(int port) {
        this.port = port;
    }

    @Override
    public Long map(Long value) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            InputStream in = socket.getInputStream();
            Report.stuck(SHAPE);
            try {
                return value + in.read();
            } finally {
                Report.finallyRan(SHAPE);
            }
        }
    }
}
