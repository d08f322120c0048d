"""The seed articles through ingest and the clean stage, against expectations written by hand.

For every seed: each piece of debris it carries is gone from the clean text, every paragraph of
the article body (listed here, not computed) survives verbatim and in order, and the metadata
in its byline, date and source lines is extracted. The seed set as a whole is also checked for
the things it exists to exercise (formats, encodings, a date-less article, a near-duplicate
pair, a factual conflict).
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass

import pytest

from broadsheet.clean import CleanResult, clean_text
from broadsheet.ingest import SourceRecord, ingest_sources
from tests.repo import SEEDS_DIR


@dataclass(frozen=True)
class Expected:
    body: tuple[str, ...]  # the article's paragraphs, in order, exactly as the clean text must hold them
    debris: tuple[str, ...]  # pieces of the source that must not survive cleaning
    authors: tuple[str, ...] = ()
    published_date: dt.date | None = None
    published_date_source: str | None = None  # "byline" or "text"
    original_url: str | None = None
    original_source: str | None = None


JAN = {day: dt.date(2020, 1, day) for day in range(1, 32)}

EXPECTED: dict[str, Expected] = {
    "001-us-strike-kills-soleimani-near-baghdad-airport.txt": Expected(
        body=(
            "U.S. strike near Baghdad airport kills Iran's Qassem Soleimani",
            "A U.S. drone strike near Baghdad International Airport early on Friday killed Qassem Soleimani, the commander of the Quds Force of Iran's Islamic Revolutionary Guard Corps, in an attack that sharply raised the risk of a wider conflict between the United States and Iran.",
            "The strike, carried out shortly after 1 a.m. local time on Jan. 3, hit two vehicles that had just left the airport. Abu Mahdi al-Muhandis, the deputy head of Iraq's Popular Mobilization Forces and the founder of the Kataib Hezbollah militia, was among those killed, according to Iraqi officials.",
            "The Pentagon said in a statement that the strike had been carried out at the direction of President Donald Trump. It said that Soleimani had been actively developing plans to attack American diplomats and service members in Iraq and across the region, and it described the killing as a defensive action.",
            "Soleimani, 62, had led the Quds Force since the late 1990s and was widely seen as the second most powerful figure in Iran after Supreme Leader Ayatollah Ali Khamenei. He directed Iran's network of allied militias in Iraq, Syria, Lebanon and Yemen, and U.S. officials have long blamed forces under his command for the deaths of hundreds of American troops during the Iraq war.",
            "The attack followed a week of escalating violence. A rocket attack on a base near Kirkuk on Dec. 27 killed an American civilian contractor, and two days later U.S. aircraft struck Kataib Hezbollah positions in Iraq and Syria, killing at least 25 fighters. On New Year's Eve, crowds of militia supporters broke into the outer compound of the U.S. embassy in Baghdad and set fires before withdrawing the next day.",
            "Khamenei declared three days of public mourning and warned that harsh revenge awaited those behind the strike. Iran's foreign minister, Mohammad Javad Zarif, called the killing an act of international terrorism.",
            '"Nobody in Washington should assume this ends with a funeral," said Dana Whitfield, an analyst at a Washington think tank who studies the Gulf. "Tehran has spent twenty years building the tools to answer, and it will choose the time and the place."',
            "Whitfield said that Iran was likely to avoid a direct military confrontation with the United States, which it could not win, and would more probably rely on allied groups in Iraq and elsewhere. Oil prices jumped by about 4 percent in early trading on Friday as traders weighed the risk to supplies from the Gulf.",
            "Iraq's caretaker prime minister, Adel Abdul Mahdi, condemned the strike as an aggression against Iraq and a violation of the conditions under which U.S. troops are stationed in the country. About 5,000 American troops are deployed there to help local forces fight the remnants of the Islamic State group.",
        ),
        debris=(
            "News",
            "By Martin Kessler",
            "January 03, 2020",
            "Share this:",
            "Tweet",
            "Photo: AP/Karim Jaber",
            "Submit Your Ad Here",
            "Related article:",
            "Militia supporters storm the outer compound",
            "Leave a Reply",
        ),
        authors=("Martin Kessler",),
        published_date=JAN[3],
        published_date_source="byline",
    ),
    "002-iran-buries-soleimani-stampede-in-kerman.txt": Expected(
        body=(
            "Iran buries Qasem Soleimani as stampede kills dozens in Kerman",
            "TEHERAN — A stampede during the burial procession for Gen. Qasem Soleimani in his hometown of Kerman killed 56 people and injured more than 200 on Tuesday, Iranian state media reported, and officials postponed the burial for several hours.",
            "The crush in Kerman capped four days of funeral ceremonies that drew vast crowds into the streets of Ahvaz, Mashhad, Qom and Teheran. On Monday, Supreme Leader Ayatollah Ali Khamenei wept as he led prayers over the coffins of Soleimani and the other men killed in the American strike in Baghdad last week.",
            "Iran’s leaders have used the funerals to show a united front after months of unrest. In November, security forces crushed nationwide protests over a sudden rise in fuel prices, and rights groups reported that hundreds of people had been killed.",
            "“What we are seeing in the streets is real grief, but it is also a message that the state wants the world to receive,” said Farhad Mahmoudi, a political scientist who teaches in Teheran.",
            "“Two months ago some of the same streets were full of people shouting against the government. The strike in Baghdad has handed the leadership a moment of national unity that it could never have bought, and it will try to make that moment last as long as it can.",
            "“The real test comes when the mourning ends and the economy is still broken.”",
            "On Sunday, the government announced that Iran would no longer respect the limits on uranium enrichment set by the 2015 nuclear agreement with world powers, and said its programme would from now on be guided only by its technical needs. It said that cooperation with the International Atomic Energy Agency would continue.",
            "The agreement, negotiated under President Barrack Obama, began to unravel nearly two years ago, when President Donald Trump withdrew the United States from it and reimposed sanctions. Tensions between Washington and Teheran have been building for two years, and European diplomats warned that Sunday’s announcement could finish off what is left of the deal.",
            "Gen. Esmail Qaani, Soleimani’s longtime deputy, was named to lead the Quds Force within hours of his death. Qaani is believed to share his predecessor’s priorities, but according to Mahmoudi, he lacks the personal ties to militia commanders in Iraq and Syria that made Soleimani so effective.",
            "Senior commanders of the Revolutionary Guard have repeated that Iran will retaliate, though none has said how or when.",
        ),
        debris=(
            "By Leyla Haddad",
            "6:45 PM",
            "(Photo by Reza Tavakoli / Getty Images)",
            "Advertise with us",
            "Only $1/click",
            "Related articles",
            "Mourners Fill the Streets of Mashhad and Ahvaz",
            "What Comes After Soleimani",
            "Oil Prices Climb as Gulf Tensions Rise",
            "Post a comment",
        ),
        authors=("Leyla Haddad",),
        published_date=JAN[7],
        published_date_source="byline",
    ),
    "003-iran-fires-missiles-at-bases-in-iraq.txt": Expected(
        body=(
            "Iran fires missiles at bases housing U.S. troops in Iraq",
            "BAGHDAD, Jan. 8, 2020 (Gulf Courier) — Iran fired more than a dozen ballistic missiles at two military bases in Iraq that house American troops early on Wednesday, in what Iranian officials called retaliation for the U.S. strike that killed Gen. Qassem Soleimani last week.",
            "The missiles struck the Ain al-Asad air base in Iraq's western Anbar province and a base near Erbil, the capital of the Kurdish region, according to the Pentagon. There were no immediate reports of American casualties, and Iraq's military said that none of its forces had been killed.",
            "Iran's Revolutionary Guard said the attack was revenge for Soleimani's killing and warned the United States that any counterattack would be met with a harsher response. Foreign Minister Mohammad Javad Zarif wrote on Twitter that Iran had taken and concluded proportionate measures in self-defence under the United Nations Charter, and that it did not seek escalation or war.",
            "In a televised address from the White House later on Wednesday, President Donald Trump said that no Americans had been harmed and that Iran appeared to be standing down. He announced new economic sanctions on Iran but did not order a military response.",
            '"Both sides have now shown they can hurt each other, and both have stepped back from the edge, at least for this week," said Karim Nassar, a former Iraqi diplomat now based in Amman. "America does not want a war in an election year, and Tehran knows it could not survive one."',
            "According to Nassar, the way the attack was carried out suggested that Iran had chosen targets where casualties were unlikely. The office of Iraq's prime minister said that it had received a verbal message from Iran shortly after midnight that a response to the killing had begun or was about to begin.",
            "Tensions had been climbing since last May, when Washington sent an aircraft carrier strike group and bombers to the region, citing unspecified threats from Iran. An attack on Saudi oil facilities in September, which the United States blamed on Iran, and a series of rocket attacks on bases in Iraq followed.",
            "Hours after the missile strikes, a Ukraine International Airlines passenger jet crashed shortly after taking off from Tehran's Imam Khomeini International Airport, killing all 176 people on board. The cause of the crash was not immediately clear.",
            "Analysts warned that militias allied with Iran could still attack American forces in Iraq even if the two governments avoid direct clashes, and that the risk of a miscalculation would remain high for months.",
        ),
        debris=(
            "Share this:",
            "Tweet",
            "(Photo by Samir Daoud / Getty Images)",
            "Related article: Who was Qassem Soleimani",
            "Submit Your Ad Here",
        ),
        published_date=JAN[8],
        published_date_source="text",
    ),
    "004-russia-quiet-winner-of-soleimani-crisis.md": Expected(
        # The leading "# " heading is the title (rule title-heading), not a paragraph of the text.
        body=(
            "When an American drone killed Qassem Soleimani near Baghdad airport on January 3, Moscow's reaction was quick but measured. Russia's Foreign Ministry called the killing a rash step that would raise tensions across the whole region, and President Vladimir Putin discussed the crisis by phone with French President Emmanuel Macron. Neither statement said a word about what Russia itself would do, and that silence is the point.",
            "Four days later Putin flew to Damascus, his first trip to the Syrian capital since Russian forces entered the war. He met Bashar al-Assad at the command post of the Russian forces in the city and toured the Umayyad Mosque. The next day he was in Istanbul with Turkish President Recep Tayyip Erdogan to open the TurkStream gas pipeline, and the two leaders called for a ceasefire in Libya.",
            "A decade of patient work",
            "Russia's return to the Middle East did not begin with Syria. After the Soviet collapse, Moscow spent the 1990s absorbed in its own troubles and had little to offer the region beyond arms and oil deals. In 2013, when President Barack Obama stepped back from strikes on Syria over the use of chemical weapons, Russian diplomats brokered the deal to remove Syria's chemical arsenal and gained a seat at the table.",
            "Its military entry into Syria in September 2015, when Russian aircraft began bombing Assad's opponents from the Hmeimim air base, changed the course of the war. Soleimani is believed to have played a part in that decision: he is reported to have travelled to Moscow in July 2015 to help plan the campaign, and Iranian-backed militias later fought on the ground under Russian air cover.",
            "In early 2019, when Washington gathered its allies in Warsaw for a conference dominated by Iran, Moscow stayed away and kept talking to everyone. That habit now looks like an asset. Russia is one of the few powers that can speak on the same day to Tehran, Riyadh, Jerusalem, Ankara and Damascus.",
            "Why Moscow gains",
            "The crisis helps Russia in three ways:",
            "it distracts Washington and deepens the rift between the United States and its European allies over Iran;",
            "it makes Iraqi leaders, who are under pressure to expel American troops, more curious about Russian weapons and diplomacy;",
            "it raises the price of oil, on which the Russian budget still depends.",
            "None of this means Moscow wants a war between America and Iran. A wider conflict could put Russian soldiers in Syria within range of Iranian and American fire, and it would end the balancing act that has served the Kremlin so well. Russia is likely to offer itself as a mediator, and it could use the moment to ask for something in return, from sanctions relief to a bigger role in Iraq.",
            '"Moscow does not need to win this crisis," a Russian diplomat who asked not to be named told me. "It only needs to be the one everyone calls when it is over."',
        ),
        debris=(
            "Russia Emerges as the Quiet Winner of the Soleimani Crisis",
            "# ",
            "**",
            "_January 9, 2020_",
            "By Anton Reshetnikov",
            "![",
            "Russian and Syrian flags on a street in Damascus",
            "https://",
            "](",
            "---",
            "Anton Reshetnikov is a senior fellow",
            "He writes about Russian foreign policy",
            "originally published by Carnegie",
            "Read more",
            "Putin Makes Surprise Visit to Damascus",
            "TurkStream Opens as Erdogan Hosts Putin",
            "What Iraq's Vote Means for US Troops",
        ),
        authors=("Anton Reshetnikov",),
        published_date=JAN[9],
        published_date_source="byline",
        original_source="Carnegie",
    ),
    "005-russia-syrian-air-base-regional-foothold.txt": Expected(
        body=(
            "How Russia turned a Syrian air base into a regional foothold",
            "Every year on May 9th, Russia marks the Soviet victory over Nazi Germany with a military parade on Red Square. The speeches look back to 1945, but the holiday has also become a showcase for an army that is once again fighting far from home, and nowhere is that clearer than in Syria.",
            "Russia entered the Syrian war in 2015, when its aircraft began bombing from the Hmeimim air base near Latakia at the request of President Bashar al-Assad's government. At the time, many Western officials predicted that Moscow would be dragged into a long and costly quagmire. Instead, Russian air power, together with Iranian-backed militias on the ground, turned the war in Assad's favour.",
            "The naval facility at Tartus, used by Soviet ships since 1971, was expanded under a 49-year agreement that the two governments signed in 2017. In the same year, President Vladimir Putin visited Hmeimim and announced that a large part of the Russian contingent would return home. Russian aircraft still fly from Hmeimim today.",
            'Speaking at a conference in Moscow on Wednesday, Ilya Sarkisov, a retired colonel who now lectures at a military academy, said that Syria had given the Russian army "the best training ground it has had since Afghanistan". He warned, however, that the country could be drawn into conflicts it does not control, including the confrontation between the United States and Iran that followed the killing of Qassem Soleimani near Baghdad airport.',
            "In 2019, Russian military police moved into north-eastern Syria under an agreement with Turkey, patrolling areas that American troops had just left. According to Sarkisov, that deployment showed that Moscow had become the power that others in the region must deal with, whether they like it or not.",
            "Soleimani's death is likely to complicate that role. Russia relied on Iranian-backed forces to hold territory that its own troops did not want to hold, and it is not clear whether his successors will be as useful a partner. Some Russian analysts expect Tehran to ask for more in return for its help, while others think Moscow will quietly welcome a weaker Iranian presence in Syria.",
            '"We went into Syria to show that Russia could act far from home and win," Sarkisov said. "Staying there is a different kind of test."',
        ),
        debris=("Blog and articles", "upstairs", "Submit Your Ad Here", "Share this:", "Source: Read Full Article"),
    ),
    "006-what-soleimanis-death-means-for-iraq.html": Expected(
        body=(
            "What Soleimani's death means for Iraq",
            "The American drone strike that killed Qassem Soleimani outside Baghdad airport was aimed at Iran, but the country that will live with its consequences longest is Iraq. Within three days of the attack, the Iraqi parliament had voted to end the presence of foreign troops, the US-led coalition had paused its campaign against the Islamic State, and the caretaker government in Baghdad found itself squeezed harder than at any time since 2003.",
            "On Sunday, lawmakers passed a resolution calling on the government to work towards ending the presence of all foreign forces on Iraqi soil and to withdraw its request for help from the coalition. Most Kurdish and many Sunni members stayed away from the session, and the resolution is not binding. Even so, the caretaker prime minister, Adel Abdul Mahdi, who had urged parliament to act, now has political cover to ask the roughly 5,000 American troops in the country to leave.",
            "Washington's answer came quickly. President Donald Trump said that if US forces were asked to leave on unfriendly terms, the United States would impose sanctions on Iraq, and he said that Baghdad would have to pay for the air base the Americans had built there. Hours earlier, the coalition said that it had suspended its training of Iraqi forces and most of its operations against the Islamic State to protect its own bases.",
            "The vote is a victory for the factions closest to Tehran. Abu Mahdi al-Muhandis, who died in the same strike as Soleimani, was the most powerful figure in the Popular Mobilization Forces, the umbrella of mostly Shiite militias that helped defeat the Islamic State and were later folded into the state's security forces. His death removes the man who held those groups together, and it is not clear who can replace him.",
            "According to Iraqi officials I spoke to this week, the government's first goal is to stop the country from becoming the battlefield for a war between its two main partners. That will be hard. The protest movement that brought down Abdul Mahdi's government in late November is still in the streets, and its supporters resent Iranian influence as much as American bases.",
            '"We are being asked to choose between our neighbour and our ally, and both of them are fighting on our land," one senior official told me. "Nobody asked Iraq before the missiles were fired."',
            "A full American withdrawal is unlikely in the coming months: negotiating it would take time, and many Iraqi leaders quietly want the troops to stay as a hedge against both Iran and a revived Islamic State. But the vote could make every joint operation politically costly, and militias that answer to Tehran are likely to test how far they can push.",
            "Iraq has been here before. In 2011 American forces left the country, and three years later they came back after the Islamic State seized Mosul. The lesson most Iraqi politicians draw from that decade is that no outside power stays or leaves on Baghdad's terms.",
        ),
        debris=(
            "Analysis",
            "Related article: Iraqi lawmakers vote to expel US troops",
            "The views expressed in this article",
            "Dana Whitfield is a senior fellow",
            "She writes about Iraq, Iran and energy security.",
            # page furniture that ingest already leaves out of the main text
            "Leave a Reply",
            "Post Comment",
            "Who Was Abu Mahdi al-Muhandis",
            "All rights reserved",
            "Privacy policy",
            "Getty Images",
        ),
        # The bio at the end names the author (the page's own metadata names her too).
        authors=("Dana Whitfield",),
    ),
    "007-us-rushes-troops-gulf-courier.txt": Expected(
        body=(
            "U.S. rushes 3,000 more troops to the Middle East and tells Americans to leave Iraq",
            "The Pentagon is sending about 3,000 more soldiers to the Middle East, U.S. officials said on Friday, hours after an American drone strike in Baghdad killed Qassem Soleimani, the Iranian general who led the Quds Force.",
            "The troops, from the 82nd Airborne Division's rapid-response brigade at Fort Bragg, North Carolina, will deploy to Kuwait. They join roughly 750 soldiers from the same division who were sent to the region earlier in the week, after supporters of an Iran-backed militia stormed the outer compound of the U.S. embassy in Baghdad.",
            "The State Department urged American citizens to leave Iraq immediately, by air while commercial flights were still running and otherwise by land. The embassy in Baghdad, which has suspended consular services since the New Year's Eve attack, said that Americans should not approach the compound.",
            "U.S. officials described the deployment as a precaution. According to one defence official, the new troops would be used to protect American personnel and facilities if Iran or its allies struck back, and they were not being sent to Iraq for now.",
            '"Everyone in the region is now doing the same arithmetic," said Nicole Barrett, a retired Army colonel who served two tours in Iraq. "Where are our people, how fast can we move them, and what does Iran hit first?"',
            "Barrett said that American bases in Iraq and Syria, and tankers in the Gulf, were the most likely targets for a first response, and she warned that Iran could also strike through allies in Lebanon or Yemen.",
            "American employees of foreign oil companies began leaving the southern Iraqi city of Basra on Friday, Iraq's oil ministry said.",
            "On Saturday evening, rockets landed inside Baghdad's heavily fortified Green Zone, where the U.S. embassy stands, and near the Balad air base north of the capital, which hosts American forces. No one was killed, Iraq's military said.",
            "Britain and France urged restraint on all sides, and Germany's government said that the killing followed a long series of provocations by Iran but warned against further escalation.",
        ),
        debris=(
            "Gulf Courier | World",
            "By Omar Saleh",
            "Jan. 4, 2020",
            "Share this:",
            "Photo: AP/Nadia Farouk",
            "Related article: Who was Abu Mahdi al-Muhandis",
            "Leave a Reply",
            "Pompeo Says Strike Disrupted an Imminent Attack",
            "Iraqi Prime Minister Condemns U.S. Strike",
            "Brent Crude Jumps After Baghdad Killing",
        ),
        authors=("Omar Saleh",),
        published_date=JAN[4],
        published_date_source="byline",
    ),
    "008-us-rushes-troops-blog-copy.txt": Expected(
        body=(
            "U.S. rushes 3,000 more troops to the Middle East and tells Americans to leave Iraq",
            "The Pentagon is sending about 3,000 more soldiers to the Middle East, U.S. officials said on Friday, hours after an American drone strike in Baghdad killed Qassem Soleimani, the Iranian general who led the Quds Force.",
            "The troops, from the 82nd Airborne Division's rapid-response brigade at Fort Bragg, North Carolina, will deploy to Kuwait. They join roughly 750 soldiers from the same division who were sent to the region earlier in the week, after supporters of an Iran-backed militia stormed the outer compound of the U.S. embassy in Baghdad.",
            "The State Department urged American citizens to leave Iraq immediately, by air while commercial flights were still running and otherwise by land. The embassy in Baghdad, which has suspended consular services since the New Year's Eve attack, said that Americans should not approach the compound.",
            "U.S. officials described the deployment as a precaution. According to one defence official, the new troops would be used to protect American personnel and facilities if Iran or its allies struck back, and they were not being sent to Iraq for now.",
            '"Everyone in the region is now doing the same arithmetic," said Nicole Barrett, a retired Army colonel who served two tours in Iraq. "Where are our people, how fast can we move them, and what does Iran hit first?"',
            "Barrett said that American bases in Iraq and Syria, and tankers in the Gulf, were the most likely targets for a first response, and she warned that Iran could also strike through allies in Lebanon or Yemen.",
            "American employees of foreign oil companies began leaving the southern Iraqi city of Basra on Friday, Iraq's oil ministry said.",
            "On Saturday evening, rockets landed inside Baghdad's heavily fortified Green Zone, where the U.S. embassy stands, and near the Balad air base north of the capital, which hosts American forces. No one was killed, Iraq's military said.",
        ),
        debris=(
            "Blog and articles",
            "upstairs",
            "News",
            "08.01.2020",
            "By Omar Saleh",
            "Original url:",
            "gulfcourier.example",
            "Only $1/click! Place your banner here",
            "Tweet",
            "Source: Read Full Article",
            "Post a comment",
        ),
        authors=("Omar Saleh",),
        published_date=JAN[8],
        published_date_source="byline",
        original_url="https://gulfcourier.example/world/2020/01/04/us-rushes-troops-middle-east",
    ),
    "009-trump-threat-to-iran-cultural-sites.json": Expected(
        body=(
            "President Donald Trump has warned that the United States would strike 52 Iranian sites, some of them important to Iranian culture, if Iran attacked Americans or American assets in retaliation for the killing of Gen. Qassem Soleimani.",
            "In a series of messages on Twitter on Saturday evening, Trump said that the 52 targets stood for the 52 Americans who were held hostage at the U.S. embassy in Tehran for 444 days after the 1979 revolution. He said the sites would be hit very fast and very hard.",
            "The threat against cultural sites drew immediate criticism. Targeting cultural property is prohibited under international agreements that the United States has signed, including a 1954 convention adopted after the destruction of the Second World War, and UNESCO reminded member states of their obligations. Iran's foreign minister, Mohammad Javad Zarif, said that attacking cultural sites would be a war crime.",
            "By Monday, senior officials were distancing themselves from the idea. Defense Secretary Mark Esper said that the U.S. military would follow the laws of armed conflict, and Secretary of State Mike Pompeo said that any American action would be lawful.",
            '"There is no version of this that makes America safer," said Rachel Oduya, a lawyer who advised the State Department on the laws of war. "You do not deter a government by threatening the mosques and museums that its own critics are proud of."',
            "Historians point out that Iran's heritage sites include the ruins of Persepolis and the great square of Isfahan, which draw visitors from all over the world every year. According to Oduya, a strike on any of them would unite Iranians behind a government that many of them have protested against in recent months.",
            "The episode reflects a wider uncertainty about how far the administration is prepared to go. U.S. officials say that Soleimani was planning imminent attacks on American diplomats and troops, but they have not made the evidence public, and Democrats in Congress said that they would seek to limit the president's power to take military action against Iran.",
        ),
        debris=("Share this:", "Photo: AP/Layla Hassan", "Related article:", "Based on the materials of The Telegraph UK"),
        original_source="The Telegraph UK",
    ),
    "010-russia-reactions-digest.jsonl#L1": Expected(
        body=(
            "Moscow and Beijing condemned the American strike that killed the Iranian general Qasem Soleymani near Baghdad airport and urged all sides to avoid a wider war, as governments around the world scrambled to respond to the sharpest escalation between Washington and Teheran in decades.",
            "Russia's Foreign Ministry said that Foreign Minister Sergei Lavrov had told Secretary of State Mike Pompeo in a phone call on Friday that the killing was a gross violation of international law. The ministry said in an earlier statement that the strike was a rash step that would raise tensions throughout the region.",
            "China's foreign ministry urged all sides, and the United States in particular, to stay calm and exercise restraint, and said that Iraq's sovereignty and territorial integrity should be respected.",
            "For Moscow, the crisis is a test of the role it has built in the Middle East since it entered the Syrian war in 2015. Russian aircraft and Iranian-backed fighters fought side by side to keep President Bashar al-Assad in power, and Soleymani was the commander Russian officers dealt with most often on the Iranian side.",
            '"Russia will condemn loudly and act carefully," said Mikhail Dorin, who spent twenty years as a Russian diplomat in Arab capitals. "It has good relations with Tehran, with Riyadh and with Israel, and it will not give up any of them for the sake of one general, however close he was."',
            "Dorin said that Moscow was likely to press for an emergency meeting of the United Nations Security Council, where it can use its veto, and to offer to mediate between Washington and Teheran. He warned that the Kremlin could also lose if the conflict spread, because Russian troops in Syria are stationed close to Iranian-backed militias that the United States might target.",
            "Analysts in Moscow said that the strike would probably strengthen voices in Iran that favour closer military ties with Russia and China. The three countries held their first joint naval exercise in the Gulf of Oman only last week.",
        ),
        debris=("Tweet", "This commentary was originally posted by Carnegie."),
        original_source="Carnegie",
    ),
    "010-russia-reactions-digest.jsonl#L2": Expected(
        body=(
            "Within one week of the killing of Qassem Soleimani, Vladimir Putin visited two of the capitals that matter most to the crisis. On Tuesday he made an unannounced trip to Damascus, where he met Bashar al-Assad at the headquarters of the Russian forces in Syria. On Wednesday, as Iranian missiles were still being counted at Ain al-Asad, he stood next to Recep Tayyip Erdogan in Istanbul to open the TurkStream gas pipeline.",
            "The two leaders used the occasion to call for a ceasefire in Libya from Sunday, and to urge restraint between Washington and Teheran. For a country that many in the West dismissed as a regional power only a few years ago, it was a remarkable display of reach.",
            "Moscow's admirers like to tell the story of that reach as a long, carefully laid plan. Russia's military entry into Syria came in the summer of 2014, according to Viktor Lenski, a Moscow-based military blogger with a large following, who argues that the Kremlin had been preparing the ground for years before its air campaign was announced.",
            '"People in the West think Russia improvised," Lenski wrote in a post this week. "It did not. Every step since then was part of one design."',
            "Other Russian commentators are more cautious. They point out that Moscow's relationships with Iran, Turkey, Israel and the Gulf monarchies rest on deals, not trust, and that each of them could come under strain if the confrontation between the United States and Iran flares up again. Iran's admission on Saturday that its forces shot down a Ukrainian passenger jet by mistake has also embarrassed a partner that Moscow stood by throughout the crisis.",
            "Russia is likely to keep offering itself as the one power that talks to everyone. Whether that role survives a real war in the region is another question.",
        ),
        debris=(
            "Share this:",
            "The views expressed in this article are the author's own",
            "Pavel Ostrov is a freelance journalist",
            "He writes about Russian politics and the Middle East.",
        ),
        # The bio at the end names the author (the record's own authors field agrees).
        authors=("Pavel Ostrov",),
    ),
}

# Sentence ends in the hand-written paragraphs above: a full stop, question or exclamation mark
# (with any closing quote) followed by a space and a capital or an opening quote. Abbreviations
# like "U.S." or "Gen." only split a sentence early, which checks more, never less.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’]))\s+(?=[\"“A-Z])")


def _name(record: SourceRecord) -> str:
    return record.source_uri.rsplit("/", 1)[-1]


@pytest.fixture(scope="module")
def seeds() -> dict[str, tuple[SourceRecord, CleanResult]]:
    result = ingest_sources([SEEDS_DIR])
    assert result.rejects == ()
    return {_name(r): (r, clean_text(r.text, r.source_format)) for r in result.records}


def test_every_seed_has_hand_written_expectations(seeds):
    assert sorted(seeds) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_debris_is_gone(seeds, name):
    _, cleaned = seeds[name]
    paragraphs = cleaned.text.split("\n\n")
    for piece in EXPECTED[name].debris:
        assert piece not in paragraphs and piece not in cleaned.text, piece


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_sentence_of_the_article_survives_verbatim(seeds, name):
    _, cleaned = seeds[name]
    paragraphs = cleaned.text.split("\n\n")
    for paragraph in EXPECTED[name].body:
        for sentence in _SENTENCE_END.split(paragraph):
            assert sentence in cleaned.text, sentence
        assert paragraph in paragraphs, paragraph
    assert cleaned.text == "\n\n".join(EXPECTED[name].body)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata_lines_become_metadata(seeds, name):
    _, cleaned = seeds[name]
    expected = EXPECTED[name]
    assert cleaned.authors == expected.authors
    assert (cleaned.published_date, cleaned.published_date_source) == (expected.published_date, expected.published_date_source)
    assert cleaned.original_url == expected.original_url
    assert cleaned.original_source == expected.original_source


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_cut_is_recorded_exactly(seeds, name, invariants):
    record, cleaned = seeds[name]
    invariants(record.text, cleaned)


# --- what the seed set is there to exercise -----------------------------------------------------


def _raw(name: str) -> bytes:
    return (SEEDS_DIR / name.split("#")[0]).read_bytes()


def test_the_seeds_cover_every_format_and_encoding():
    files = [p.name for p in SEEDS_DIR.iterdir() if not p.name.startswith(("_", "."))]
    suffixes = sorted(name.rsplit(".", 1)[1] for name in files)
    assert suffixes.count("txt") >= 5 and {"md", "html", "json", "jsonl"} <= set(suffixes)
    assert all(re.fullmatch(r"\d{3}-[a-z0-9-]+\.[a-z]+", name) for name in files)
    cp1252 = _raw("002-iran-buries-soleimani-stampede-in-kerman.txt")
    with pytest.raises(UnicodeDecodeError):
        cp1252.decode("utf-8")
    assert {"“", "”", "’", "—"} <= set(cp1252.decode("cp1252")) and b"\r\n" in cp1252
    assert _raw("003-iran-fires-missiles-at-bases-in-iraq.txt").startswith(codecs.BOM_UTF16_LE)
    assert _raw("005-russia-syrian-air-base-regional-foothold.txt").startswith(codecs.BOM_UTF8)
    assert _raw("001-us-strike-kills-soleimani-near-baghdad-airport.txt").decode("utf-8")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_article_is_news_length(name):
    words = len(" ".join(EXPECTED[name].body).split())
    assert 250 <= words <= 700, words


def test_one_article_states_no_date_anywhere(seeds):
    record, cleaned = seeds["005-russia-syrian-air-base-regional-foothold.txt"]
    assert record.published_date is None and cleaned.published_date is None
    assert "May 9th" in cleaned.text and "Wednesday" in cleaned.text
    assert not re.search(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d", cleaned.text)


def test_two_sites_carry_one_story_with_different_debris_and_trims(seeds):
    from broadsheet.clean.neardup import cluster_near_duplicates

    a = seeds["007-us-rushes-troops-gulf-courier.txt"][1].text
    b = seeds["008-us-rushes-troops-blog-copy.txt"][1].text
    assert a != b and set(b.split("\n\n")) < set(a.split("\n\n"))
    clusters = cluster_near_duplicates({name: cleaned.text for name, (_, cleaned) in seeds.items()})
    together = [name for name, cluster in clusters.items() if cluster == clusters["007-us-rushes-troops-gulf-courier.txt"]]
    assert sorted(together) == ["007-us-rushes-troops-gulf-courier.txt", "008-us-rushes-troops-blog-copy.txt"]


def test_the_seeds_disagree_on_when_russia_entered_syria(seeds):
    entry_2015 = re.compile(r"(?:entered the Syrian war|entry into Syria) in (?:September )?2015")
    entry_2014 = re.compile(r"entry into Syria came in the summer of 2014")
    assert sum(bool(entry_2015.search(c.text)) for _, c in seeds.values()) == 3
    assert sum(bool(entry_2014.search(c.text)) for _, c in seeds.values()) == 1


def test_the_seeds_spell_names_several_ways(seeds):
    corpus = "\n".join(c.text for _, c in seeds.values())
    for variant in [
        "Qassem Soleimani",
        "Qasem Soleimani",
        "Soleymani",
        "Tehran",
        "Teheran",
        "U.S.",
        "US-led",
        "United States",
        "America ",
        "Barack Obama",
        "Barrack Obama",
    ]:
        assert variant in corpus, variant
