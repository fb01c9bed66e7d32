package org.peiyu.lrs;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit for small requests: what a commit costs is mostly the wait for the disk, so single statements and
 * small batches that arrive while one transaction commits are written together in the next, each request answered
 * once the transaction holding it has committed. Nothing waits on purpose: a lone request is written at once.
 * A request that fails its checks gets its own error without touching the others; should the shared transaction
 * fail (two requests sending one new id at once), each of its requests is written alone.
 */
final class GroupCommit {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
    /** Requests of at most this many statements are grouped; larger ones are written on their own. */
    static final int SMALL = 10;
    /** The most statements one group writes. */
    private static final int MAX = 500;

    private record Pending(Statements.Job job, CompletableFuture<List<UUID>> done) {
    }

    private final Statements statements;
    private final TransactionTemplate tx;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;

    GroupCommit(Statements statements, TransactionTemplate tx) {
        this.statements = statements;
        this.tx = tx;
        writer = new Thread(this::run, "lrs-group-commit");
        writer.setDaemon(true);
        writer.start();
    }

    /** Writes a request's statements with others'; returns their ids once committed, or throws the request's error. */
    List<UUID> submit(Statements.Job job) {
        if (!writer.isAlive()) {
            return statements.storeAlone(job);
        }
        CompletableFuture<List<UUID>> done = new CompletableFuture<>();
        queue.add(new Pending(job, done));
        try {
            return done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Ends the writer once the platform stops; requests after that are written alone. */
    void stop() {
        writer.interrupt();
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        while (true) {
            try {
                group.add(queue.take());
                int n = group.get(0).job().batch().size();
                Pending next;
                while (n < MAX && (next = queue.poll()) != null) {
                    group.add(next);
                    n += next.job().batch().size();
                }
                commit(group);
            } catch (InterruptedException e) { // stopping: whoever still waits is written alone
                group.forEach(this::alone);
                queue.forEach(this::alone);
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable t) { // the writer must outlive any one group
                log.error("Group commit failed", t);
                group.forEach(p -> p.done().completeExceptionally(t));
            }
            group.clear();
        }
    }

    private void commit(List<Pending> group) {
        if (group.size() == 1) {
            alone(group.get(0));
            return;
        }
        List<Object> results;
        try {
            results = tx.execute(s -> statements.write(group.stream().map(Pending::job).toList()));
        } catch (RuntimeException e) {
            group.forEach(this::alone);
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            try {
                group.get(i).done().complete(Statements.ids(results.get(i)));
            } catch (RuntimeException e) {
                group.get(i).done().completeExceptionally(e);
            }
        }
    }

    private void alone(Pending p) {
        try {
            p.done().complete(statements.storeAlone(p.job()));
        } catch (RuntimeException e) {
            p.done().completeExceptionally(e);
        }
    }
}
