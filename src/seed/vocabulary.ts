// Word lists the seed composes names, addresses and message bodies from.

export const FIRST_NAMES =
  `James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan
Joseph Jessica Thomas Sarah Christopher Karen Charles Lisa Daniel Nancy Matthew Betty Anthony Sandra Mark Margaret Donald
Ashley Steven Kimberly Andrew Emily Paul Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Melissa George Deborah
Timothy Stephanie Ronald Dorothy Jason Rebecca Edward Sharon Jeffrey Laura Ryan Cynthia Jacob Amy Gary Kathleen Nicholas
Angela Eric Shirley Jonathan Brenda Stephen Emma Larry Anna Justin Pamela Scott Nicole Brandon Samantha Benjamin Katherine
Samuel Christine Gregory Helen Alexander Debra Patrick Rachel Frank Carolyn Raymond Janet Jack Maria Dennis Olivia Jerry
Heather Tyler Diane Aaron Julie Jose Joyce Adam Victoria Nathan Ruth Henry Virginia Zachary Lauren Douglas Kelly Peter
Christina Kyle Joan Noah Evelyn Ethan Judith Jeremy Andrea Walter Hannah Christian Megan Keith Cheryl Roger Jacqueline
Terry Martha Austin Madison Sean Teresa Gerald Gloria Carl Sara Harold Janice Dylan Ann Arthur Kathryn Lawrence Abigail
Jordan Sophia Jesse Frances Bryan Jean Billy Alice Bruce Judy Gabriel Isabella Joe Julia Logan Grace Alan Amber Juan Denise
Albert Danielle Willie Marilyn Elijah Beverly Wayne Charlotte Randy Natalie Vincent Theresa Mason Diana Roy Brittany Ralph
Doris Bobby Kayla Russell Alexis Bradley Lori Philip Marie Eugene Priya Wei Mateo Sofia Hiroshi Aisha Luca Fatima Omar Chloe`
    .split(/\s+/)
    .filter(Boolean);

export const LAST_NAMES =
  `Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez
Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson
Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell
Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers
Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood
James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins
Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson
Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar
Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen
Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz
Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels
Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce Vazquez Hansen
Peters Santos Hart Bradley Knight Elliott Cunningham Duncan Armstrong Hudson Carroll Lane Riley Andrews Alvarado Ray
Delgado Berry Perkins Hoffman Johnston Matthews Pena Richards Contreras Willis Carpenter Lawrence Sandoval Okafor Yamamoto`
    .split(/\s+/)
    .filter(Boolean);

export const EMAIL_DOMAINS = [
  'gmail.com',
  'yahoo.com',
  'outlook.com',
  'hotmail.com',
  'icloud.com',
  'aol.com',
  'proton.me',
  'comcast.net',
];

export const COMPANY_WORDS =
  `Acme Summit Harbor Pioneer Bright Evergreen Cedar Northstar Bluewater Granite Maple Horizon
Redwood Silverline Keystone Liberty Meadow Crescent Lakeside Ironwood Sunrise Coastal Prairie Highland`
    .split(/\s+/)
    .filter(Boolean);

export const COMPANY_KINDS = [
  'Dental',
  'Roofing',
  'Realty',
  'Fitness',
  'Plumbing',
  'Law Group',
  'Auto Repair',
  'Med Spa',
  'Landscaping',
  'Insurance',
  'Chiropractic',
  'HVAC',
];

export const CITIES = [
  ['Austin', 'TX', 'America/Chicago'],
  ['Denver', 'CO', 'America/Denver'],
  ['Phoenix', 'AZ', 'America/Phoenix'],
  ['Seattle', 'WA', 'America/Los_Angeles'],
  ['Miami', 'FL', 'America/New_York'],
  ['Chicago', 'IL', 'America/Chicago'],
  ['Boston', 'MA', 'America/New_York'],
  ['Atlanta', 'GA', 'America/New_York'],
  ['Portland', 'OR', 'America/Los_Angeles'],
  ['Nashville', 'TN', 'America/Chicago'],
] as const;

export const AREA_CODES = [212, 213, 305, 312, 404, 415, 469, 512, 602, 617, 646, 702, 713, 720, 786, 801, 917, 971];

export const TAGS = ['lead', 'customer', 'vip', 'newsletter', 'follow-up', 'appointment', 'referral', 'cold', 'hot'];

export const SOURCES = ['facebook ads', 'google ads', 'website form', 'referral', 'walk-in', 'import'];

/** {first}, {day}, {time}, {company} are filled in per message. */
export const INBOUND_TEXTS = [
  'Hi, is there any availability on {day}?',
  'Can I move my appointment to {day} at {time}?',
  'Thanks {company}, see you then!',
  'What are your prices for a first visit?',
  'Yes please, {time} works for me.',
  'Sorry, running about 10 minutes late.',
  'Do you take insurance?',
  'Got it, thank you!',
  'Please call me back when you get a chance.',
  'Is the offer from last week still valid?',
  'STOP',
  'Can you send me the invoice again?',
  'I have a question about my last bill.',
  'Where exactly are you located?',
  'Perfect, thanks for the quick reply.',
  'Could we do {day} instead?',
  'Who am I speaking with?',
  'Just left you a review, great service!',
];

export const OUTBOUND_TEXTS = [
  'Hi {first}, this is {company}. Your appointment is confirmed for {day} at {time}.',
  'Hi {first}, just a reminder of your visit tomorrow at {time}. Reply C to confirm.',
  'Thanks for reaching out, {first}! How can we help?',
  'We have an opening on {day} at {time}. Would that work?',
  'Hi {first}, we missed you today. Would you like to reschedule?',
  'Your invoice is ready: https://pay.example.com/i/{code}',
  '{first}, thanks for choosing {company}! Could you leave us a review? https://g.page/r/{code}',
  'Happy to help! Our first visit is $49 this month.',
  'Hi {first}, following up on your request from {day}.',
  'We are open 8am to 6pm Monday to Saturday.',
  'Great, you are all set for {day}.',
  'Hi {first}, our summer offer ends {day}: 20% off with code SUMMER20.',
];

export const EMAIL_SUBJECTS = [
  'Your appointment on {day}',
  'Quote request',
  'Invoice #{code}',
  'Following up',
  'Welcome to {company}',
  'Question about my account',
  'Your estimate from {company}',
  'Reschedule request',
  'Thank you for your visit',
  'Special offer for {first}',
];

export const EMAIL_TEXTS = [
  'Hi {first},\nThank you for getting in touch with {company}. We would be glad to help. Are you free on {day} at {time}?\nBest regards,\nThe {company} team',
  'Hello,\nPlease find attached the estimate we discussed. Let us know if you have any questions.\nKind regards,\n{company}',
  'Hi there,\nI would like to know more about your services and pricing. Could someone call me on {day}?\nThanks,\n{first}',
  'Dear {first},\nThis is a reminder that your invoice {code} is due on {day}.\nThank you,\n{company} billing',
  'Hi {first},\nIt was a pleasure seeing you. We would love to hear how it went.\nCheers,\n{company}',
];

export const INTERNAL_COMMENTS = [
  'Called twice, no answer. Try again {day}.',
  'VIP customer, handle with care.',
  'Asked for a discount, approved 10%.',
  'Follow up after the estimate is sent.',
];

export const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'next week'];
export const TIMES = ['9:00 AM', '10:30 AM', '11:15 AM', '1:00 PM', '2:45 PM', '4:00 PM', '5:30 PM'];
