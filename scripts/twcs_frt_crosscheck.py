#!/usr/bin/env python3
"""Independent first-response-time figures for a Customer Support on Twitter CSV.

Written from docs/metrics.md's definitions directly against the CSV, sharing no code with
Earshot, to cross-check `earshot stats --by channel` (TWCSImportTests / StatsCrossCheckTests).

A conversation is one customer's thread with one brand (docs/ingest.md): a customer tweet is
addressed to a brand (one that answered it, else the one it answers, else one it @mentions,
else the brand of a tweet around it in its thread); it joins the conversation of the tweet it
answers when that conversation is the same customer's with the same brand, otherwise it starts
a new one. A brand reply joins the conversation of the tweet it answers. First response time is
the first customer tweet's time to the first brand reply after it, grouped by the conversation's
brand. Percentiles are nearest-rank.

Usage: twcs_frt_crosscheck.py FILE.csv  -> JSON {channel: {"n": N, "p50_ms": M}} on stdout.
"""
import csv
import json
import math
import sys
from datetime import datetime


def parse_time(text):
    return int(datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y").timestamp() * 1000)


def main(path):
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    tweets = {}
    for row in rows:
        parent = row["in_response_to_tweet_id"].strip()
        if parent.endswith(".0"):
            parent = parent[:-2]
        tweets[row["tweet_id"].strip()] = {
            "author": row["author_id"].strip(),
            "inbound": row["inbound"].strip().lower() == "true",
            "time": parse_time(row["created_at"]),
            "parent": parent or None,
        }

    brands = {t["author"] for t in tweets.values() if not t["inbound"]}
    brands_lower = {b.lower(): b for b in brands}
    texts = {row["tweet_id"].strip(): row["text"] for row in rows}
    responses = {row["tweet_id"].strip(): [r.strip() for r in row["response_tweet_id"].split(",") if r.strip()] for row in rows}

    def mentioned_brand(tweet_id):
        for word in texts[tweet_id].replace("\n", " ").split():
            if word.startswith("@"):
                handle = "".join(ch for ch in word[1:] if ch.isalnum() or ch == "_")
                if handle.lower() in brands_lower:
                    return brands_lower[handle.lower()]
        return None

    def brand_of(tweet_id):
        """The brand a customer tweet is addressed to."""
        for response in responses.get(tweet_id, []):
            if response in tweets and not tweets[response]["inbound"]:
                return tweets[response]["author"]
        parent = tweets[tweet_id]["parent"]
        if parent in tweets and not tweets[parent]["inbound"]:
            return tweets[parent]["author"]
        found = mentioned_brand(tweet_id)
        if found:
            return found
        # Walk the thread around it (bounded) for a brand.
        queue, seen = list(responses.get(tweet_id, [])) + ([parent] if parent else []), {tweet_id}
        while queue and len(seen) < 64:
            other = queue.pop(0)
            if other in seen or other not in tweets:
                continue
            seen.add(other)
            if not tweets[other]["inbound"]:
                return tweets[other]["author"]
            found = mentioned_brand(other)
            if found:
                return found
            queue += responses.get(other, []) + ([tweets[other]["parent"]] if tweets[other]["parent"] else [])
        return None

    conversation_of = {}   # tweet id -> conversation key
    customer_of = {}       # conversation key -> (customer author, brand)
    resolving = set()

    def conversation(tweet_id):
        """The conversation a tweet belongs to, or None (brand posts that answer nothing)."""
        if tweet_id in conversation_of:
            return conversation_of[tweet_id]
        if tweet_id in resolving or tweet_id not in tweets:
            return None
        resolving.add(tweet_id)
        tweet = tweets[tweet_id]
        parent = tweet["parent"]
        parent_conversation = conversation(parent) if parent else None
        if tweet["inbound"]:
            owner = (tweet["author"], brand_of(tweet_id))
            if owner[1] is None:
                key = None  # addressed to no brand Earshot can tell: not a conversation
            elif parent_conversation is not None and customer_of[parent_conversation] == owner:
                key = parent_conversation
            else:
                key = tweet_id
                customer_of[key] = owner
        else:
            key = parent_conversation
        resolving.discard(tweet_id)
        conversation_of[tweet_id] = key
        return key

    members = {}
    for tweet_id in tweets:
        key = conversation(tweet_id)
        if key is not None:
            members.setdefault(key, []).append(tweets[tweet_id])

    samples = {}
    for key, thread in members.items():
        messages = sorted(t["time"] for t in thread if t["inbound"])
        if not messages:
            continue
        first = messages[0]
        replies = sorted((t["time"], t["author"]) for t in thread if not t["inbound"] and t["time"] >= first)
        if not replies:
            continue
        reply_time, _ = replies[0]
        samples.setdefault(customer_of[key][1], []).append(reply_time - first)

    result = {}
    for brand, values in samples.items():
        values.sort()
        rank = math.ceil(0.5 * len(values))
        result[brand] = {"n": len(values), "p50_ms": values[max(rank, 1) - 1]}
    json.dump(result, sys.stdout, sort_keys=True, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
