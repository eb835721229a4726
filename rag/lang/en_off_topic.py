"""Questions no guide answers, one for each kind of topic a learner may bring to a mentor that is not the path into ML
engineering (rag.answer.off_topic): a learner's question closer to one of these than to every question the guides'
sections answer is declined.

Written as kinds of topic, not as any eval case: the first by hand, the rest by helpers who read the corpus and
never the eval set, in two sessions: work life, study logistics, tools and errors, law, products, personal life;
then, each helper shown the list so far and asked for new kinds only, ML techniques and errors, management and
workplace situations, admissions and research publishing, neighbouring tech jobs, AI news, graduate school. A kind
the corpus answers even in part was not written, nor one about the mentor itself (greetings, its memory, its model).

A helper's question was kept only if, against it, every dev question that is not a refusal and the probe questions
of evals/off_topic_probes.yaml, written to find the edges ("Can new grads get ML engineer jobs?", "Will AI replace
machine learning engineers?", "Do language models keep getting better as they get bigger?") stay at least 0.025
under the pack's off_topic_margin, hub-free (rag.answer.off_topic); only one of near-duplicates (cosine 0.95) was
kept. The first session's questions were checked against dev's questions to answer and the probes of the day; the
second's also against paper and plan requests and more probes; a third session's, written by hand for requests that
look like a plan or a reading list but are about another subject, against dev with its new plan, paper and
follow-up batches (one of seven kept: the rest came within 0.025 of a learner's plan or paper request). Questions already listed were not filtered again, but
three that a later probe showed declining an answerable question (a probation period's severance, a counteroffer, an
F-1 visa interview) and one about the mentor were taken out, and, with dev at 2526 cases, one that declined a dev
question and brought no refusal to the margin (whom to vote for). With dev at 2716 cases, one of 12 questions written
by hand for the kinds a blind batch of near-domain refusals found answered (an opinion on AI laws) kept 0.025 under
the margin; another ("who first came up with the term machine learning?") did too but declined a question no dev
case asks, "What is the Hundred-Page Machine Learning Book about?" (now a probe), and was taken back out; the rest
came closer to a learner's question. With dev at 3337 cases, three of five written by hand for the kinds two blind
batches found answered (SMOTE or class weights, why attention divides by the square root of the key dimension,
model.eval() and no_grad) kept 0.025 under the margin; a city's pay and a green card's priority date did not.
With dev at 3666 cases, one of seven written by hand for the kinds the section-by-section batch `d40-` found answered
(a non-compete clause in an offer) kept 0.015 under the margin (as the ten written after reading dev's answered
refusals did; int8: 0.011) and brings 15 dev refusals to it (int8: 12); contract-to-hire, setting a take-home test,
a coworker's faked numbers, staying visible on a remote team, stage fright and an employer's code on GitHub came
closer to a learner's question.

Embedded at index time with the sections' questions; a changed list rewrites the question vectors on the next
`mentor index`; `python evals/tune.py --off-topic` shows how close each comes to the dev questions and probes that
reach the refusal check.
"""

from __future__ import annotations

OFF_TOPIC = (
    "How do I apply for a work visa to move abroad?",
    "What are my options if my work permit or green card application is rejected?",
    "How do I negotiate a higher salary or more stock when I get a job offer?",
    "Will the company sponsor a work visa for me as a foreign employee?",
    "My visa is running out. How can I stay in the country and keep working?",
    "How many interview rounds are there, and how long until HR gets back to me with a result?",
    "What is the interview process like at Google or Meta, and what do they ask in each round?",
    "Can I change jobs while my work visa or green card is still being processed?",
    "Where did a famous AI researcher study, and who was their PhD advisor?",
    "How much tax do I pay on my stock options or RSUs?",
    "Can my employer claim ownership of a side project I build in my free time?",
    "What parts and power supply do I need to build a PC?",
    "Which graphics card should I buy for my computer?",
    "Which laptop should I buy?",
    "What laptop or GPU should I buy to train deep learning models?",
    "How do I install or update the GPU driver when my computer doesn't detect the card?",
    "My computer is slow and overheating, how do I fix it?",
    "Which stocks or crypto should I invest in?",
    "How do I do my taxes?",
    "Do I need a lawyer for my employment contract dispute?",
    "How do I write a cover letter for a marketing job?",
    "What should I cook for dinner tonight?",
    "Where should I travel on vacation?",
    "How do I lose weight and get fit?",
    "I feel sick, what medicine should I take?",
    "How do I take care of my dog or cat?",
    "How do I find an apartment and deal with my landlord?",
    "Who won the football match last night?",
    "What is the news today?",
    "Recommend a good movie or TV series.",
    "How do I fix my relationship with my partner?",
    "How do I learn to play the guitar?",
    "How do I fix my car?",
    "Which company is hiring machine learning engineers right now, and how do I get a referral?",
    "How do I register for a certification exam and how much does it cost?",
    "How do I raise money from investors for my AI startup?",
    "How much should I charge per hour as a freelance consultant?",
    "How do I become a product manager?",
    "Translate this paragraph into English for me.",
    "Should I take out a loan to pay for my studies?",
    "When do big tech companies open new-grad machine learning applications, and is applying in late October already too late?",
    "My company announced a three-day return-to-office mandate; can I negotiate staying fully remote as a machine learning engineer?",
    "Does my employer own the PyTorch library I wrote on weekends, and do I need approval before open-sourcing it?",
    "My company requires legal review before I submit a paper to NeurIPS; how can I get publication approval faster?",
    "Do most machine learning master's programs still require the GRE, and what quant score should I aim for?",
    "How can I find out whether a PhD advisor's deep learning lab has a healthy culture before I accept?",
    "arXiv says I need an endorsement for my first cs.LG submission; how do I get one?",
    "Can I post my paper on arXiv and tweet about it while it's under double-blind review at ICML?",
    "Does the appendix count toward the page limit in a NeurIPS submission, and can I attach code as supplementary material?",
    "Should I take TOEFL or IELTS when applying to machine learning master's programs in the UK and Canada?",
    "At what age should my kid start a coding class, and is Scratch or Python the better first choice?",
    "How do I convert my Chinese university GPA to a 4.0 scale for US grad school applications in AI?",
    "Is it worth paying a study-abroad agency to handle my applications to data science master's programs?",
    "How reliable is CSRankings compared with QS rankings for picking a university strong in machine learning?",
    "How do I get accepted into a machine learning summer school, and do they usually cover travel costs?",
    "My PyTorch loss suddenly turns NaN only after I enable fp16 mixed-precision training; what usually causes that and how do I fix it?",
    "torch.cuda.is_available() keeps returning False even though my machine has an NVIDIA GPU; how do I fix the CUDA and driver mismatch?",
    "GPU utilisation stays around 30% while training because my PyTorch DataLoader is too slow; how can I speed up data loading?",
    "GitHub rejects my push because a model checkpoint file is over 100 MB; how do I remove it from the repo history?",
    "My multi-GPU DistributedDataParallel training hangs at the first step and then fails with an NCCL timeout; how do I debug it?",
    "Whenever my SSH connection to the lab server drops, my long model training run gets killed; how do I keep it running?",
    "For a RAG project, how do FAISS, Milvus and Pinecone compare as vector databases in cost, speed and ease of use?",
    "VS Code or PyCharm: which editor is better for everyday PyTorch development and debugging?",
    "My wrists and neck hurt after long days of coding and training models; what desk setup and habits help prevent RSI?",
    "What should I do about health insurance during a six-month career gap while I study machine learning full-time?",
    "My lower back hurts after sitting all day training PyTorch models. What stretches help with back pain?",
    "My dad was just diagnosed with type 2 diabetes. What foods should he avoid, and how can I help him?",
    "Give me an easy chicken curry recipe I can cook in 30 minutes while my model trains.",
    "My puppy chews my laptop charger whenever I'm studying for ML interviews. How do I train him to stop?",
    "Recommend some good sci-fi movies to watch this weekend now that my Kaggle competition is over.",
    "Quick break from studying gradient descent: what's the tallest mountain in Africa?",
    "Help me write a funny best man speech for my best friend's wedding; he's a data scientist too.",
    "Can you help with my organic chemistry homework? I need to name these compounds using IUPAC rules.",
    "Tell me a joke about neural networks to cheer me up after a long day of tuning hyperparameters.",
    "My US machine learning engineer offer depends on H-1B sponsorship. What happens to the offer if I'm not picked in the lottery?",
    "I'm moving to London for an ML engineer job. How do I pass a rental reference check with no UK credit history?",
    "How much does the OpenAI API charge per million tokens for GPT-4o, and is the batch API cheaper for running evaluations on my model?",
    "How long can a free Google Colab session train a model before it disconnects, and does Colab Pro let training run overnight?",
    "Does an AI coding assistant like Copilot or Cursor send my company's proprietary model code to its servers or use it for training?",
    "My new Azure subscription has a GPU quota of zero and my increase request was denied; how do I get approved to train models?",
    "How do I apply for Google Cloud education credits for a university deep learning project, and how much credit do they usually give?",
    "How do I register for the Google Cloud Professional Machine Learning Engineer exam, what does it cost, and can I take it online from home?",
    "Will NeurIPS send me a visa invitation letter if I'm attending without a paper, and how long does it take to get one?",
    "Does the HackerRank online assessment for an MLE job record my webcam and screen, and am I allowed to use my own IDE?",
    "Is LeetCode Premium worth paying for to see company-tagged questions before machine learning engineer interviews?",
    "My card keeps getting declined when I try to subscribe to ChatGPT Plus from China; how else can I pay for it?",
    "My OpenAI account was suspended for suspicious activity in the middle of a project; how do I appeal and get my API credits back?",
    "Can I still get a refund for a Udemy machine learning course after I've already watched half of the videos?",
    "Is Weights & Biases free for tracking experiments on personal projects, and how much artifact storage does the free plan include?",
    "Does OpenAI sponsor H-1B visas for international machine learning engineers, or only hire people who already have work authorization?",
    "Does Microsoft reimburse tuition for employees doing a part-time master's in machine learning, and is there a yearly cap?",
    "Can machine learning engineers at Apple work fully remote, or does the return-to-office policy require several days a week on site?",
    "After resuming PyTorch training from a saved checkpoint, the loss jumps back up; which optimizer and scheduler states do I need to save?",
    "Loading my saved model weights fails with missing and unexpected keys that all start with 'module.'; how do I load them correctly?",
    "PyTorch throws 'Expected all tensors to be on the same device' during inference; how do I find which tensor is still on the CPU?",
    "My backward pass fails with 'a variable needed for gradient computation has been modified by an inplace operation'; how do I find the culprit?",
    "GPU memory creeps up every iteration until my training run crashes; could appending loss tensors to a list cause a memory leak?",
    "torch.compile made my model slower and the logs show lots of graph breaks; how do I find what is causing them?",
    "My Slurm job requesting four GPUs sits pending in the queue for days; how should I write the sbatch script to get scheduled sooner?",
    "Is it safe to torch.load a checkpoint downloaded from an unknown repo, or can a pickle file run malicious code? Should I require safetensors?",
    "For a RAG pipeline over long PDF manuals, what chunk size and overlap should I use, and how should tables be split?",
    "My LLM agent keeps calling the same tool over and over and never finishes the task; how do I debug the tool-calling loop?",
    "How can I check whether a benchmark's test questions leaked into the pretraining data of the LLM I'm evaluating?",
    "My classifier's predicted probabilities are overconfident; should I calibrate them with Platt scaling or isotonic regression, and on which data?",
    "For multi-label image tagging, should I use softmax cross-entropy or sigmoid with binary cross-entropy, and how do I pick per-label thresholds?",
    "For a search ranking model, when should I use pointwise, pairwise or listwise losses, and how does LambdaMART fit in?",
    "How do I model time until a machine fails when many machines haven't failed yet, and what do I do with the censored records?",
    "How can I interview for other machine learning jobs without my current employer finding out?",
    "My title says data analyst but I actually build ML models; can I list machine learning engineer on my resume?",
    "My new employer has unlimited paid time off; how much vacation can I actually take without looking bad?",
    "A senior colleague makes sexist comments in our team meetings; how can I report it without facing retaliation?",
    "How do I get the application fee waived when applying to several computer science master's programs in the US?",
    "Is my three-year bachelor's degree accepted by US master's programs in AI, or do I need a WES credential evaluation?",
    "Do I need to speak fluent German to get a machine learning engineer job in Berlin, or is English enough?",
    "How do I check whether my AI app's name is already trademarked before launching it?",
    "When I build a custom model for a client, who owns the trained weights, and what should the contract say?",
    "Do I need written consent before cloning someone's voice with a TTS model for a demo video?",
    "My web page can't call my FastAPI model endpoint because the browser blocks it with a CORS error; how do I fix that?",
    "I found a security hole in a company's AI chatbot API; how do I disclose it responsibly, and could I get a bug bounty?",
    "How can I securely reach my home GPU workstation from outside when my internet provider doesn't give me a public IP?",
    "How do I dual-boot Ubuntu alongside Windows on my deep learning PC without wiping my existing data?",
    "What's the latest in the copyright lawsuits that news publishers and authors filed against AI companies over their training data?",
    "How much electricity and water do AI data centers use, and is the AI boom bad for the climate?",
    "How can I tell whether a viral video or a voice message is an AI-generated deepfake?",
    "ChatGPT gave me several paper citations that don't exist at all; why does it invent references like that?",
    "Will humanoid robots be doing everyday household chores in ordinary homes within the next five years?",
    "How do I choose and invite professors to sit on my PhD thesis committee in machine learning?",
    "What happens if I fail my PhD qualifying exam?",
    "Can new grads choose their office location at Amazon?",
    "My employer wants my diploma before onboarding, but my university only issues it months after graduation; what can I submit instead?",
    "How long should a master's thesis on a deep learning project be, and how are its chapters usually structured?",
    "Recommend a reading list on ancient Roman history, in the order I should read them.",
    "How do I pitch my AI startup idea to investors and raise a seed round?",
    "Should I move into management or stay on the technical track?",
    "Are there scholarships or financial aid for adults going back to school?",
    "I was just promoted to team lead. How do I run one-on-ones and sprint planning?",
    "Is it okay to ask a recruiter for feedback after a rejection?",
    "Is it legal to scrape data from social media sites for a personal project?",
    "How do I explain a long gap in my employment history to recruiters?",
    "What are good AI and coding activities for children under 12?",
    "Should I put a photo on my resume, and can it be longer than one page?",
    "Should I expect to be on call for production incidents as a machine learning engineer?",
    "What's your opinion on new laws that regulate artificial intelligence?",
    "For a heavily imbalanced dataset, should I oversample with SMOTE or use class weights?",
    "Why does scaled dot-product attention divide by the square root of the key dimension?",
    "In PyTorch, what is the difference between model.eval() and torch.no_grad()?",
    "Should I sign a job offer that has a non-compete clause, or negotiate it out?",
)
