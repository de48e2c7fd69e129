"""Groups and supergroups with several members: joining, leaving, privacy mode, replies, buttons."""

from __future__ import annotations

import pytest
from telegram import (
    Bot,
    ChatMemberBanned,
    ChatMemberLeft,
    ChatMemberMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.error import BadRequest, Forbidden

from sandbox import FakeBotApi
from tests.sandbox.helpers import OTHER_USER, USER, RawApi, last_error

GROUP = -100123
STRANGER = 44


@pytest.fixture
def group(fake: FakeBotApi) -> int:
    """A supergroup of USER and OTHER_USER that USER has added the bot to."""
    fake.add_group(GROUP, title="Skin club", members=[USER, OTHER_USER])
    fake.add_bot_to_group(GROUP, by_user_id=USER)
    return GROUP


async def fetch(bot: Bot) -> tuple[Update, ...]:
    """Every pending update, confirmed so the next fetch sees only newer ones."""
    updates = await bot.get_updates(timeout=0)
    if updates:
        await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
    return updates


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d) for d in data]])


async def test_adding_the_bot_sends_my_chat_member_then_new_chat_members(
    bot: Bot, fake: FakeBotApi
) -> None:
    fake.add_group(GROUP, title="Skin club", members=[USER, OTHER_USER])
    assert await fetch(bot) == ()  # the bot knows nothing of a group it is not in
    fake.add_bot_to_group(GROUP, by_user_id=OTHER_USER)
    joined, service = await fetch(bot)
    change = joined.my_chat_member
    assert change is not None
    assert (change.chat.id, change.chat.type, change.chat.title) == (
        GROUP,
        "supergroup",
        "Skin club",
    )
    assert change.from_user.id == OTHER_USER
    assert isinstance(change.old_chat_member, ChatMemberLeft)
    assert isinstance(change.new_chat_member, ChatMemberMember)
    assert change.new_chat_member.user.username == fake.bot_username
    message = service.message
    assert message is not None
    assert message.from_user is not None
    assert message.from_user.id == OTHER_USER
    assert [u.username for u in message.new_chat_members] == [fake.bot_username]
    assert message.text is None
    with pytest.raises(ValueError, match="already a member"):
        fake.add_bot_to_group(GROUP, by_user_id=USER)
    with pytest.raises(ValueError, match="not a member"):
        fake.add_bot_to_group(GROUP, by_user_id=STRANGER)


async def test_two_members_write_and_the_bot_answers_in_the_group(
    bot: Bot, fake: FakeBotApi, group: int
) -> None:
    await fetch(bot)
    first = fake.send_group_text(group, USER, "/start")
    second = fake.send_group_text(group, OTHER_USER, f"/help@{fake.bot_username}")
    assert second > first
    updates = await fetch(bot)
    senders = [
        (u.message.from_user.id, u.message.chat.id)
        for u in updates
        if u.message and u.message.from_user
    ]
    assert senders == [(USER, group), (OTHER_USER, group)]
    assert updates[1].message is not None
    assert updates[1].message.chat.type == "supergroup"
    sent = await bot.send_message(group, "Hello, club")
    assert (sent.chat.id, sent.chat.type) == (group, "supergroup")
    assert [m.text for m in await fake.wait_for_messages(group, 1)] == ["Hello, club"]
    # The whole conversation, both members' messages and the service message included.
    senders_seen = [m.sender_id for m in fake.conversation(group) if not m.from_bot]
    assert senders_seen == [USER, USER, OTHER_USER]
    assert fake.messages(USER) == []  # nothing leaked into a private chat


async def test_group_commands_and_mentions_get_telegrams_entities(
    bot: Bot, fake: FakeBotApi, group: int
) -> None:
    fake.group_privacy = False
    await fetch(bot)
    fake.send_group_text(group, USER, f"/remind@{fake.bot_username} dose 08:00")
    fake.send_group_text(group, USER, f"thanks @{fake.bot_username}, and /topics")
    fake.send_group_text(group, OTHER_USER, "/help@other_bot")
    addressed, mentioned, other = (u.message for u in await fetch(bot))
    assert addressed is not None and mentioned is not None and other is not None
    assert addressed.entities == (MessageEntity(MessageEntity.BOT_COMMAND, 0, 23),)
    assert mentioned.entities == (
        MessageEntity(MessageEntity.MENTION, 7, 16),
        MessageEntity(MessageEntity.BOT_COMMAND, 29, 7),
    )
    # A command for another bot is marked whole, so the bot can tell it is not its own.
    assert other.entities == (MessageEntity(MessageEntity.BOT_COMMAND, 0, 15),)
    assert other.parse_entity(other.entities[0]) == "/help@other_bot"


async def test_privacy_mode_lets_through_only_what_is_meant_for_the_bot(
    bot: Bot, fake: FakeBotApi, group: int
) -> None:
    assert fake.group_privacy  # on by default, as for every new bot
    assert not (await bot.get_me()).can_read_all_group_messages
    await fetch(bot)
    asked = await bot.send_message(group, "Which topic?")
    for text in ("hello all", "/help@other_bot", "so /help", "@other_bot hi"):
        fake.send_group_text(group, USER, text)
    assert await fetch(bot) == ()
    meant = ["/help", f"/help@{fake.bot_username}", f"hey @{fake.bot_username}", "pores"]
    for text in meant[:-1]:
        fake.send_group_text(group, OTHER_USER, text)
    fake.send_group_text(group, OTHER_USER, "pores", reply_to_message_id=asked.message_id)
    assert [u.message.text for u in await fetch(bot) if u.message] == meant
    # Every message is in the group all the same.
    assert len([m for m in fake.conversation(group) if not m.from_bot]) == 1 + 4 + 4
    fake.group_privacy = False
    assert (await bot.get_me()).can_read_all_group_messages
    fake.send_group_text(group, USER, "hello all")
    assert [u.message.text for u in await fetch(bot) if u.message] == ["hello all"]


async def test_a_reply_to_the_bot_carries_the_whole_replied_message(
    bot: Bot, fake: FakeBotApi, group: int
) -> None:
    await fetch(bot)
    question = await bot.send_message(group, "<b>Pick</b>", parse_mode="HTML")
    first = fake.send_group_text(group, USER, "pores", reply_to_message_id=question.message_id)
    fake.send_group_text(
        group, OTHER_USER, f"@{fake.bot_username} me too", reply_to_message_id=first
    )
    reply, reply_to_reply = (u.message for u in await fetch(bot))
    assert reply is not None and reply_to_reply is not None
    replied = reply.reply_to_message
    assert replied is not None
    assert replied.message_id == question.message_id
    assert replied.from_user is not None
    assert replied.from_user.is_bot
    assert replied.from_user.username == fake.bot_username
    assert replied.text == "Pick"
    assert replied.entities == (MessageEntity(MessageEntity.BOLD, 0, 4),)
    # One level only, as on Telegram.
    assert reply_to_reply.reply_to_message is not None
    assert reply_to_reply.reply_to_message.message_id == first
    assert reply_to_reply.reply_to_message.reply_to_message is None
    with pytest.raises(ValueError, match="no message 999"):
        fake.send_group_text(group, USER, "lost", reply_to_message_id=999)


async def test_the_bot_replies_in_a_group_with_reply_parameters(
    bot: Bot, fake: FakeBotApi, group: int, raw: RawApi
) -> None:
    asked = fake.send_group_text(group, USER, "/topics")
    answer = await bot.send_message(
        group, "Here", reply_parameters=ReplyParameters(message_id=asked)
    )
    assert answer.reply_to_message is not None
    assert answer.reply_to_message.from_user is not None
    assert answer.reply_to_message.from_user.id == USER
    assert fake.messages(group)[0].reply_to_message_id == asked
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(group, "x", reply_parameters=ReplyParameters(message_id=999))
    assert last_error(fake) == "Bad Request: message to be replied not found"
    gone = ReplyParameters(message_id=999, allow_sending_without_reply=True)
    sent = await bot.send_message(group, "anyway", reply_parameters=gone)
    assert sent.reply_to_message is None
    status, body = await raw.post_json(
        "sendMessage", {"chat_id": group, "text": "x", "reply_to_message_id": 999}
    )
    assert (status, body["description"]) == (400, "Bad Request: message to be replied not found")
    assert [m.text for m in fake.messages(group)] == ["Here", "anyway"]


@pytest.mark.parametrize("kind", ["supergroup", "group"])
async def test_a_removed_bot_gets_my_chat_member_and_then_403(
    bot: Bot, fake: FakeBotApi, kind: str
) -> None:
    chat_id = -100777 if kind == "supergroup" else -777
    fake.add_group(chat_id, members=[USER, OTHER_USER], kind=kind)
    fake.add_bot_to_group(chat_id, by_user_id=USER)
    sent = await bot.send_message(chat_id, "hi")
    await fetch(bot)
    fake.remove_bot_from_group(chat_id, by_user_id=OTHER_USER)
    (left,) = await fetch(bot)
    change = left.my_chat_member
    assert change is not None
    assert change.chat.type == kind
    assert change.from_user.id == OTHER_USER
    assert isinstance(change.old_chat_member, ChatMemberMember)
    assert isinstance(change.new_chat_member, ChatMemberLeft)
    forbidden = f"Forbidden: bot is not a member of the {kind} chat"
    with pytest.raises(Forbidden, match="not a member"):
        await bot.send_message(chat_id, "still there?")
    assert last_error(fake) == forbidden
    with pytest.raises(Forbidden):
        await bot.edit_message_text("edited", chat_id=chat_id, message_id=sent.message_id)
    with pytest.raises(Forbidden):
        await bot.send_document(chat_id, b"x", filename="a.txt")
    with pytest.raises(Forbidden):
        await bot.delete_message(chat_id, sent.message_id)
    assert last_error(fake) == forbidden
    # The bot hears nothing from a group it left; members may bring it back.
    fake.send_group_text(chat_id, USER, "/help")
    assert await fetch(bot) == ()
    with pytest.raises(ValueError, match="not a member"):
        fake.remove_bot_from_group(chat_id, by_user_id=USER)
    fake.add_bot_to_group(chat_id, by_user_id=USER)
    back = (await fetch(bot))[0].my_chat_member
    assert back is not None
    assert isinstance(back.old_chat_member, ChatMemberLeft)
    await bot.send_message(chat_id, "back")
    assert [m.text for m in fake.messages(chat_id)] == ["hi", "back"]


async def test_who_the_bot_may_write_to(bot: Bot, fake: FakeBotApi) -> None:
    fake.add_group(GROUP, members=[USER, OTHER_USER])
    with pytest.raises(Forbidden):
        await bot.send_message(GROUP, "not joined yet")
    assert last_error(fake) == "Forbidden: bot is not a member of the supergroup chat"
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(-100999, "nobody's group")
    assert last_error(fake) == "Bad Request: chat not found"
    # A member the bot met in a group, who never pressed Start, cannot be written to.
    with pytest.raises(Forbidden):
        await bot.send_message(OTHER_USER, "psst")
    assert last_error(fake) == "Forbidden: bot can't initiate conversation with a user"
    fake.send_text(OTHER_USER, "/start")
    await bot.send_message(OTHER_USER, "now we can talk")
    assert fake.messages(GROUP) == []


async def test_only_members_write_and_groups_are_well_formed(fake: FakeBotApi) -> None:
    fake.add_group(GROUP, members=[USER])
    with pytest.raises(ValueError, match="not a member"):
        fake.send_group_text(GROUP, STRANGER, "hi")
    with pytest.raises(ValueError, match="no group"):
        fake.send_group_text(-5, USER, "hi")
    with pytest.raises(ValueError, match="empty"):
        fake.send_group_text(GROUP, USER, "  ")
    with pytest.raises(ValueError, match="exists"):
        fake.add_group(GROUP)
    with pytest.raises(ValueError, match="negative"):
        fake.add_group(5)
    with pytest.raises(ValueError, match="kind"):
        fake.add_group(-6, kind="channel")
    assert fake.conversation(GROUP) == []


async def test_any_member_may_press_a_button_in_the_group(
    bot: Bot, fake: FakeBotApi, group: int
) -> None:
    sent = await bot.send_message(group, "Vote", reply_markup=keyboard("yes", "no"))
    await fetch(bot)
    query_id = fake.press_button(OTHER_USER, sent.message_id, "no", chat_id=group)
    (update,) = await fetch(bot)
    query = update.callback_query
    assert query is not None
    assert query.id == query_id
    assert query.from_user.id == OTHER_USER
    assert query.message is not None
    assert query.message.chat.id == group
    assert query.message.chat.type == "supergroup"
    assert query.data == "no"
    with pytest.raises(ValueError, match="not a member"):
        fake.press_button(STRANGER, sent.message_id, "no", chat_id=group)
    with pytest.raises(ValueError, match="no button"):
        fake.press_button(USER, sent.message_id, "maybe", chat_id=group)
    with pytest.raises(ValueError, match="no message"):
        fake.press_button(USER, sent.message_id, "no")  # not in USER's private chat
    forged = fake.forge_callback(STRANGER, sent.message_id, "admin", chat_id=group)
    (update,) = await fetch(bot)
    assert update.callback_query is not None
    assert update.callback_query.id == forged
    assert update.callback_query.from_user.id == STRANGER
    assert update.callback_query.message is not None
    assert update.callback_query.message.chat.id == group


async def test_block_bot_sends_my_chat_member_and_then_403(
    bot: Bot, fake: FakeBotApi, user: int
) -> None:
    await fetch(bot)
    fake.block_bot(user)
    (update,) = await fetch(bot)
    change = update.my_chat_member
    assert change is not None
    assert (change.chat.id, change.chat.type) == (user, "private")
    assert change.from_user.id == user
    assert isinstance(change.old_chat_member, ChatMemberMember)
    assert isinstance(change.new_chat_member, ChatMemberBanned)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(user, "hi")
    assert last_error(fake) == "Forbidden: bot was blocked by the user"
    with pytest.raises(ValueError, match="already blocked"):
        fake.block_bot(user)
    with pytest.raises(ValueError, match="blocked the bot"):
        fake.send_text(user, "hello?")  # the app offers only "Restart" now
    with pytest.raises(ValueError, match="no private chat"):
        fake.block_bot(STRANGER)
    fake.unblock_bot(user)
    (update,) = await fetch(bot)
    assert update.my_chat_member is not None
    assert isinstance(update.my_chat_member.new_chat_member, ChatMemberMember)
    await bot.send_message(user, "welcome back")


async def test_deep_link_sends_start_with_the_payload(bot: Bot, fake: FakeBotApi) -> None:
    fake.start_deep_link(USER, "ref-42_x")
    (update,) = await fetch(bot)
    message = update.message
    assert message is not None
    assert message.text == "/start ref-42_x"
    assert message.chat.type == "private"
    assert message.chat.id == USER
    assert message.entities == (MessageEntity(MessageEntity.BOT_COMMAND, 0, 6),)
    fake.start_deep_link(USER, "a" * 64)
    for bad in ("", "a" * 65, "has space", "ünï", "a+b"):
        with pytest.raises(ValueError, match="payload"):
            fake.start_deep_link(USER, bad)
    assert len(await fetch(bot)) == 1


async def test_deep_link_after_a_block_restarts_the_bot(
    bot: Bot, fake: FakeBotApi, user: int
) -> None:
    fake.block_bot(user)
    await fetch(bot)
    fake.start_deep_link(user, "again")
    unblocked, start = await fetch(bot)
    assert unblocked.my_chat_member is not None
    assert isinstance(unblocked.my_chat_member.old_chat_member, ChatMemberBanned)
    assert start.message is not None
    assert start.message.text == "/start again"
    await bot.send_message(user, "hello again")


async def test_channel_posts_and_their_edits(bot: Bot, fake: FakeBotApi) -> None:
    channel = -1001234
    post_id = fake.post_to_channel(channel, "News: see /topics")
    fake.edit_channel_post(channel, post_id, "News, corrected")
    posted, edited = await fetch(bot)
    post = posted.channel_post
    assert post is not None
    assert posted.message is None
    assert (post.chat.id, post.chat.type, post.message_id) == (channel, "channel", post_id)
    assert post.sender_chat is not None
    assert post.sender_chat.id == channel
    assert post.from_user is None
    assert post.entities == (MessageEntity(MessageEntity.BOT_COMMAND, 10, 7),)
    change = edited.edited_channel_post
    assert change is not None
    assert (change.message_id, change.text) == (post_id, "News, corrected")
    assert change.edit_date is not None
    with pytest.raises(ValueError, match="changes nothing"):
        fake.edit_channel_post(channel, post_id, "News, corrected")
    with pytest.raises(ValueError, match="has no message 99"):
        fake.edit_channel_post(channel, 99, "x")
    fake.add_group(GROUP, members=[USER])
    with pytest.raises(ValueError, match="no channel"):
        fake.post_to_channel(GROUP, "not a channel")
    # A bot that asks for messages only gets no channel posts.
    await bot.get_updates(offset=edited.update_id + 1, allowed_updates=["message"])
    fake.post_to_channel(channel, "filtered out")
    assert await bot.get_updates() == ()


async def test_allowed_updates_filter_the_new_kinds(bot: Bot, fake: FakeBotApi, group: int) -> None:
    fake.send_group_text(group, USER, "/help")
    # Telegram's default (no allowed_updates) includes my_chat_member.
    kinds = [u.my_chat_member is not None for u in await bot.get_updates()]
    assert kinds == [True, False, False]
    only = await bot.get_updates(allowed_updates=["my_chat_member"])
    assert [u.my_chat_member is not None for u in only] == [True]
    fake.remove_bot_from_group(group, by_user_id=USER)
    fake.post_to_channel(-1009, "post")
    later = await bot.get_updates(offset=only[0].update_id + 1)
    assert [u.my_chat_member is not None for u in later] == [True]
