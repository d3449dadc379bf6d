package dev.killswitch.instrument.flow;

import java.util.Arrays;
import java.util.BitSet;

/** Immediate dominators over a graph of ints, node 0 the entry (Cooper, Harvey and Kennedy). */
public final class Dominators {
    private Dominators() {
    }

    /** @return the immediate dominator of each node, -1 for unreachable ones, the entry its own */
    public static int[] of(int[][] successors) {
        int n = successors.length;
        int[] order = new int[n]; // postorder number
        Arrays.fill(order, -1);
        int[] postorder = new int[n];
        int count = 0;
        int[] stack = new int[n];
        int[] next = new int[n];
        int top = 0;
        stack[top++] = 0;
        order[0] = -2; // on the stack
        while (top > 0) {
            int v = stack[top - 1];
            if (next[v] < successors[v].length) {
                int w = successors[v][next[v]++];
                if (order[w] == -1) {
                    order[w] = -2;
                    stack[top++] = w;
                }
            } else {
                top--;
                order[v] = count;
                postorder[count++] = v;
            }
        }
        int[] predCount = new int[n];
        for (int v = 0; v < n; v++) {
            if (order[v] >= 0) {
                for (int w : successors[v]) {
                    predCount[w]++;
                }
            }
        }
        int[][] preds = new int[n][];
        for (int v = 0; v < n; v++) {
            preds[v] = new int[predCount[v]];
            predCount[v] = 0;
        }
        for (int v = 0; v < n; v++) {
            if (order[v] >= 0) {
                for (int w : successors[v]) {
                    preds[w][predCount[w]++] = v;
                }
            }
        }
        int[] idom = new int[n];
        Arrays.fill(idom, -1);
        idom[0] = 0;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int k = count - 1; k >= 0; k--) { // reverse postorder
                int v = postorder[k];
                if (v == 0) {
                    continue;
                }
                int dom = -1;
                for (int p : preds[v]) {
                    if (idom[p] < 0) {
                        continue;
                    }
                    dom = dom < 0 ? p : intersect(p, dom, idom, order);
                }
                if (dom >= 0 && idom[v] != dom) {
                    idom[v] = dom;
                    changed = true;
                }
            }
        }
        return idom;
    }

    private static int intersect(int a, int b, int[] idom, int[] order) {
        while (a != b) {
            while (order[a] < order[b]) {
                a = idom[a];
            }
            while (order[b] < order[a]) {
                b = idom[b];
            }
        }
        return a;
    }

    public static int[][] children(int[] idom) {
        int[] count = new int[idom.length];
        for (int v = 1; v < idom.length; v++) {
            if (idom[v] >= 0 && idom[v] != v) {
                count[idom[v]]++;
            }
        }
        int[][] children = new int[idom.length][];
        for (int v = 0; v < idom.length; v++) {
            children[v] = new int[count[v]];
            count[v] = 0;
        }
        for (int v = 1; v < idom.length; v++) {
            if (idom[v] >= 0 && idom[v] != v) {
                children[idom[v]][count[idom[v]]++] = v;
            }
        }
        return children;
    }

    /** The nodes {@code root} dominates, itself included. */
    public static BitSet subtree(int[][] children, int root) {
        BitSet out = new BitSet();
        int[] stack = new int[children.length];
        int top = 0;
        stack[top++] = root;
        while (top > 0) {
            int v = stack[--top];
            out.set(v);
            for (int c : children[v]) {
                stack[top++] = c;
            }
        }
        return out;
    }
}
