package com.acme.workloads;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Jackson data binding, as a service uses it: orders with their customer, addresses and line items (strings with
 * escapes and non-ASCII letters, longs, doubles, decimals, ISO dates, lists and maps), generated from a fixed seed,
 * 1 to 35 KB of JSON each. One operation round-trips all of them: POJO to JSON and back, JSON to a tree, the tree
 * walked, changed and written, and the tree bound back to the POJO. Each round trip must give back the equal order.
 */
final class JacksonRoundTrip implements Workload.Op {
    public record Address(String street, String city, String postcode, String country, double latitude, double longitude) {
    }

    public record Customer(long id, String name, String email, Date since, int loyaltyPoints, List<String> tags,
                           List<Address> addresses) {
    }

    public record LineItem(String sku, String description, int quantity, BigDecimal unitPrice, double discount) {
    }

    public record Order(long id, String number, Date placed, String status, boolean gift, Customer customer,
                        Address shipTo, List<LineItem> items, BigDecimal total, Map<String, String> attributes, String notes) {
    }

    private static final int DOCUMENTS = 40;
    private static final String[] CITIES = {"Zürich", "São Paulo", "Łódź", "東京", "Reykjavík", "New York", "Kraków", "Malmö"};
    private static final String[] COUNTRIES = {"CH", "BR", "PL", "JP", "IS", "US", "PL", "SE"};
    private static final String[] WORDS = {"steel", "bolt", "washer", "cable", "hinge", "bracket", "valve", "gasket", "spring",
        "bearing", "\"premium\"", "coated", "m8", "stainless", "grade-A", "résistant", "pack\tof 10", "line\nbreak"};
    private static final String[] STATUSES = {"NEW", "PAID", "SHIPPED", "DELIVERED", "RETURNED"};

    private final ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS) // decimals keep their scale through the tree
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    private final List<Order> orders = new ArrayList<>();

    JacksonRoundTrip() {
        Random random = new Random(20_240_229L);
        for (int i = 0; i < DOCUMENTS; i++) {
            orders.add(order(random, i));
        }
    }

    @Override
    public long run() throws Exception {
        CRC32 crc = new CRC32();
        long nodes = 0;
        for (Order order : orders) {
            byte[] json = mapper.writeValueAsBytes(order);
            crc.update(json);
            Order back = mapper.readValue(json, Order.class);
            JsonNode tree = mapper.readTree(json);
            nodes += count(tree);
            ObjectNode changed = ((ObjectNode) tree).put("checked", true);
            changed.get("items").forEach(item -> ((ObjectNode) item).put("lineTotal",
                    item.get("unitPrice").decimalValue().multiply(BigDecimal.valueOf(item.get("quantity").asInt()))));
            crc.update(mapper.writeValueAsBytes(changed));
            changed.remove("checked");
            changed.get("items").forEach(item -> ((ObjectNode) item).remove("lineTotal"));
            Order fromTree = mapper.treeToValue(changed, Order.class);
            if (!order.equals(back) || !order.equals(fromTree)) {
                throw new IllegalStateException("order " + order.id() + " did not survive the round trip:\n" + order + "\n" + back
                        + "\n" + fromTree);
            }
        }
        return crc.getValue() << 20 ^ nodes;
    }

    private static long count(JsonNode node) {
        long n = 1;
        for (JsonNode child : node) {
            n += count(child);
        }
        return n;
    }

    private static Order order(Random random, int i) {
        List<Address> addresses = new ArrayList<>();
        for (int a = 0, n = 1 + random.nextInt(4); a < n; a++) {
            addresses.add(address(random));
        }
        List<String> tags = new ArrayList<>();
        for (int t = 0, n = random.nextInt(6); t < n; t++) {
            tags.add(WORDS[random.nextInt(WORDS.length)]);
        }
        long customerId = 10_000 + random.nextInt(90_000);
        Customer customer = new Customer(customerId, words(random, 2) + " " + (char) ('A' + random.nextInt(26)) + ".",
                "user" + customerId + "@example.com", date(random), random.nextInt(100_000), tags, addresses);
        // from a handful of line items to a couple of hundred: 1 to 35 KB of JSON
        int count = i % 5 == 0 ? 120 + random.nextInt(100) : 3 + random.nextInt(40);
        List<LineItem> items = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (int k = 0; k < count; k++) {
            BigDecimal price = BigDecimal.valueOf(50 + random.nextInt(500_000), 2);
            int quantity = 1 + random.nextInt(50);
            items.add(new LineItem(String.format("SKU-%05d-%c", random.nextInt(100_000), (char) ('A' + random.nextInt(26))),
                    words(random, 3 + random.nextInt(6)), quantity, price, random.nextInt(4) * 0.05));
            total = total.add(price.multiply(BigDecimal.valueOf(quantity)));
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int a = 0, n = random.nextInt(5); a < n; a++) {
            attributes.put("attr" + a, words(random, 1 + random.nextInt(3)));
        }
        return new Order(1_000_000L + i, "ORD-" + (2024_00000 + random.nextInt(100_000)), date(random),
                STATUSES[random.nextInt(STATUSES.length)], random.nextBoolean(), customer, addresses.get(0), items, total,
                attributes, random.nextInt(3) == 0 ? null : words(random, 5 + random.nextInt(30)));
    }

    private static Address address(Random random) {
        int c = random.nextInt(CITIES.length);
        return new Address(1 + random.nextInt(300) + " " + words(random, 2) + " Street", CITIES[c],
                String.format("%05d", random.nextInt(100_000)), COUNTRIES[c], -90 + 180 * random.nextDouble(), -180 + 360 * random.nextDouble());
    }

    private static Date date(Random random) {
        return new Date(1_500_000_000_000L + (long) (random.nextDouble() * 300_000_000_000L));
    }

    private static String words(Random random, int n) {
        StringBuilder b = new StringBuilder();
        for (int w = 0; w < n; w++) {
            b.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return b.toString();
    }
}
